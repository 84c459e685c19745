import type { ReactNode } from 'react'

import type { Job, JobState } from '../api.ts'

const STEPS: Array<{ state: JobState; label: string }> = [
  { state: 'queued', label: 'Queued' },
  { state: 'downloading', label: 'Fetching audio' },
  { state: 'analyzing', label: 'Analyzing' },
]

const DESCRIPTIONS: Record<JobState, string> = {
  queued: 'Waiting for a free worker…',
  downloading: 'Fetching the audio…',
  analyzing: 'Listening to the song and scoring each window…',
  done: 'Done.',
  failed: 'The classification failed.',
}

interface Props {
  jobId: string
  /** Null until the first answer about the job has come. */
  job: Job | null
  /** Polling stopped without a final state (e.g. unknown job). */
  stopped: boolean
  /** Shown under the status, e.g. why the job failed. */
  children?: ReactNode
}

function sourceText(job: Job): string | null {
  if (job.source.kind === 'upload') return job.source.filename
  return job.source.url
}

/** The job's stage with a step indicator; announced politely as it changes. */
export function JobStatus({ jobId, job, stopped, children }: Props) {
  const state: JobState | 'loading' | 'unknown' = job?.state ?? (stopped ? 'unknown' : 'loading')
  const stepIndex = STEPS.findIndex((step) => step.state === state)
  const final = state === 'done' || state === 'failed'
  const active = !final && state !== 'unknown'
  // Reached steps: all of them once done; the current one counts half while in progress.
  const progress = state === 'done' ? 1 : stepIndex < 0 ? 0 : (stepIndex + 0.5) / STEPS.length
  const description =
    state === 'loading' ? 'Looking up the job…' : state === 'unknown' ? 'No status available.' : DESCRIPTIONS[state]
  const source = job ? sourceText(job) : null

  return (
    <section className={`card job job-${state}`} aria-labelledby="job-heading">
      <div className="job-header">
        <h2 id="job-heading">{final || state === 'unknown' ? 'Classification' : 'Classifying…'}</h2>
        <code className="job-id" title="Job id">
          {jobId}
        </code>
      </div>
      {source ? (
        <p className="job-source">
          <span className="visually-hidden">Source: </span>
          {source}
        </p>
      ) : null}

      <p className="job-state" data-testid="job-state" data-state={state} role="status" aria-live="polite">
        {active ? <span className="spinner" aria-hidden="true" /> : null}
        {description}
      </p>

      {state !== 'failed' && state !== 'unknown' ? (
        <>
          <div
            className={`progress${active ? ' active' : ''}`}
            role="progressbar"
            aria-label="Classification progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
            aria-valuetext={state === 'done' ? 'Done' : stepIndex >= 0 ? `Step ${stepIndex + 1} of ${STEPS.length}: ${STEPS[stepIndex].label}` : 'Starting'}
          >
            <div className="progress-fill" style={{ width: `${progress * 100}%` }} />
          </div>
          <ol className="steps">
            {STEPS.map((step, index) => {
              const status = state === 'done' || index < stepIndex ? 'complete' : index === stepIndex ? 'current' : 'pending'
              return (
                <li key={step.state} className={`step ${status}`} aria-current={status === 'current' ? 'step' : undefined}>
                  <span className="step-dot" aria-hidden="true" />
                  {step.label}
                  <span className="visually-hidden">{status === 'complete' ? ' (complete)' : status === 'pending' ? ' (to do)' : ''}</span>
                </li>
              )
            })}
          </ol>
        </>
      ) : null}
      {children}
    </section>
  )
}
