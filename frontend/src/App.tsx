import { useCallback, useEffect, useState } from 'react'

import { ApiError, classifyUpload, classifyUrl, type JobAccepted } from './api.ts'
import { ErrorAlert } from './components/ErrorAlert.tsx'
import { JobStatus } from './components/JobStatus.tsx'
import { ModelCard } from './components/ModelCard.tsx'
import { ResultView } from './components/ResultView.tsx'
import { SubmitForm, type FormError, type Submission } from './components/SubmitForm.tsx'
import { percent } from './format.ts'
import { readJobId, writeJobId } from './url.ts'
import { useJobPolling, type PollingOptions } from './useJobPolling.ts'

const TITLE = 'Genre classifier'

interface Props {
  /** Polling timings; tests shorten them. */
  polling?: PollingOptions
}

export default function App({ polling }: Props) {
  const [jobId, setJobId] = useState<string | null>(() => readJobId())
  const [busy, setBusy] = useState<Submission['kind'] | null>(null)
  const [formError, setFormError] = useState<FormError | null>(null)
  const { job, error: pollError, polling: isPolling } = useJobPolling(jobId, polling)

  // Back/Forward move between jobs.
  useEffect(() => {
    const onPopState = () => {
      setJobId(readJobId())
      setFormError(null)
    }
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [])

  const result = job?.state === 'done' ? job.result : null
  useEffect(() => {
    document.title = result ? `${result.top_genre} (${percent(result.top_probability, 0)}) · ${TITLE}` : TITLE
  }, [result])

  const submit = useCallback(async (submission: Submission) => {
    setBusy(submission.kind)
    setFormError(null)
    try {
      const accepted: JobAccepted =
        submission.kind === 'url' ? await classifyUrl(submission.url) : await classifyUpload(submission.file)
      writeJobId(accepted.job_id)
      setJobId(accepted.job_id)
    } catch (caught) {
      const error =
        caught instanceof ApiError
          ? caught
          : new ApiError('unexpected_error', caught instanceof Error ? caught.message : String(caught), 0)
      setFormError({ field: submission.kind, detail: { code: error.code, message: error.message } })
    } finally {
      setBusy(null)
    }
  }, [])

  const jobError =
    pollError !== null
      ? { code: pollError.code, message: pollError.message }
      : job?.state === 'failed'
        ? (job.error ?? { code: 'failed', message: 'The classification failed for an unknown reason.' })
        : null

  return (
    <div className="page">
      <header className="masthead">
        <h1>
          <span className="logo" aria-hidden="true">
            <span />
            <span />
            <span />
            <span />
          </span>
          {TITLE}
        </h1>
        <p className="tagline">Paste a YouTube link or upload an audio file; a neural network tells you the song’s genre.</p>
      </header>

      <main>
        <SubmitForm onSubmit={(submission) => void submit(submission)} busy={busy} error={formError} onError={setFormError} />

        {jobId !== null ? (
          <JobStatus key={jobId} jobId={jobId} job={job} stopped={!isPolling && job === null}>
            {jobError ? (
              <ErrorAlert
                error={jobError}
                title={
                  pollError === null ? undefined : pollError.code === 'job_not_found' ? 'Job not found' : 'Could not get the job status'
                }
              />
            ) : null}
          </JobStatus>
        ) : null}

        {result ? <ResultView result={result} /> : null}

        <ModelCard />
      </main>

      <footer className="footer">
        <p>Probabilities are the mean over fixed-length windows of the song.</p>
      </footer>
    </div>
  )
}
