import { useCallback, useEffect, useState } from 'react'

import { ApiError, classifyUpload, classifyUrl, isBatchAccepted, type JobAccepted } from './api.ts'
import { BatchView } from './components/BatchView.tsx'
import { ErrorAlert } from './components/ErrorAlert.tsx'
import { JobStatus } from './components/JobStatus.tsx'
import { ModelCard } from './components/ModelCard.tsx'
import { NavTabs } from './components/NavTabs.tsx'
import { RecentResults } from './components/RecentResults.tsx'
import { ResultView } from './components/ResultView.tsx'
import { SongTimeline } from './components/SongTimeline.tsx'
import { SubmitForm, type FormError, type Submission } from './components/SubmitForm.tsx'
import { percent } from './format.ts'
import { explainFailure } from './jobFailures.ts'
import { forgetAll, loadRecent, recentEntryOf, rememberResult, type RecentResult } from './recent.ts'
import { isPlainClick, readRoute, routeHref, writeRoute, type Route } from './url.ts'
import { useBatchPolling } from './useBatchPolling.ts'
import { useJobPolling, type PollingOptions } from './useJobPolling.ts'

const TITLE = 'Genre classifier'

interface Props {
  /** Polling timings; tests shorten them. */
  polling?: PollingOptions
}

/** A link this page sent as one song: if it turns out to be a playlist, it is sent again as one. */
interface SentLink {
  jobId: string
  url: string
}

/** A file this browser uploaded, kept in memory so its result page can play it. */
interface KeptUpload {
  jobId: string
  file: File
}

export default function App({ polling }: Props) {
  const [route, setRoute] = useState<Route>(() => readRoute())
  const { jobId, view } = route
  const batchId = route.batchId ?? null
  const [busy, setBusy] = useState<Submission['kind'] | null>(null)
  const [formError, setFormError] = useState<FormError | null>(null)
  const [recent, setRecent] = useState<RecentResult[]>(() => loadRecent())
  const [upload, setUpload] = useState<KeptUpload | null>(null)
  const [sentLink, setSentLink] = useState<SentLink | null>(null)
  const { job, error: pollError, polling: isPolling } = useJobPolling(jobId, polling)
  const { batch, error: batchError } = useBatchPolling(batchId, polling)

  // Back/Forward move between jobs and views.
  useEffect(() => {
    const onPopState = () => {
      setRoute(readRoute())
      setFormError(null)
    }
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [])

  const navigate = useCallback((next: Route) => {
    writeRoute(next)
    setRoute(next)
    setFormError(null)
    window.scrollTo({ top: 0 })
  }, [])

  const result = job?.state === 'done' ? job.result : null
  const batchTitle = batchId !== null ? (batch?.title ?? 'Playlist') : null
  useEffect(() => {
    document.title =
      view === 'model'
        ? `Model · ${TITLE}`
        : batchTitle
          ? `${batchTitle} · ${TITLE}`
          : result
            ? `${result.top_genre} (${percent(result.top_probability, 0)}) · ${TITLE}`
            : TITLE
  }, [result, view, batchTitle])

  // A link sent as one song that the worker found to be a playlist (a podcast feed, a page of links): send
  // it again as a playlist and show the batch in place of the failed job.
  useEffect(() => {
    if (!sentLink || job?.id !== sentLink.jobId || job.state !== 'failed') return
    setSentLink(null)
    if (job.error?.code !== 'playlist_not_supported') return
    void classifyUrl(sentLink.url, undefined, true)
      .then((accepted) => {
        if (!isBatchAccepted(accepted)) return
        const next: Route = { view: 'classify', jobId: null, batchId: accepted.batch_id }
        writeRoute(next, false)
        setRoute(next)
      })
      .catch((caught: unknown) => {
        const error = caught instanceof ApiError ? caught : new ApiError('unexpected_error', String(caught), 0)
        setFormError({ field: 'url', detail: { code: error.code, message: error.message } })
      })
  }, [job, sentLink])

  // A finished job joins this browser's recent results.
  useEffect(() => {
    const entry = job ? recentEntryOf(job) : null
    if (entry) setRecent(rememberResult(entry))
  }, [job])

  const submit = useCallback(async (submission: Submission) => {
    setBusy(submission.kind)
    setFormError(null)
    try {
      const accepted =
        submission.kind === 'url' ? await classifyUrl(submission.url) : await classifyUpload(submission.file)
      if (isBatchAccepted(accepted)) {
        const next: Route = { view: 'classify', jobId: null, batchId: accepted.batch_id }
        writeRoute(next)
        setRoute(next)
        return
      }
      const job: JobAccepted = accepted
      if (submission.kind === 'file') setUpload({ jobId: job.job_id, file: submission.file })
      else setSentLink({ jobId: job.job_id, url: submission.url })
      const next: Route = { view: 'classify', jobId: job.job_id }
      writeRoute(next)
      setRoute(next)
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

  const failure = pollError === null && job?.state === 'failed' && job.error ? explainFailure(job.error.code) : null
  const jobError =
    pollError !== null
      ? { code: pollError.code, message: pollError.message }
      : job?.state === 'failed'
        ? job.error
          ? { ...job.error, message: job.error.message || (failure?.fallbackMessage ?? '') }
          : { code: 'failed', message: 'The classification failed for an unknown reason.' }
        : null

  return (
    <div className="page">
      <header className="masthead">
        <div className="masthead-row">
          <h1>
            <span className="logo" aria-hidden="true">
              <span />
              <span />
              <span />
              <span />
            </span>
            {TITLE}
          </h1>
          <NavTabs route={route} onNavigate={navigate} />
        </div>
        <p className="tagline">Paste a YouTube link (a song or a playlist) or upload an audio file; a neural network tells you the song’s genre.</p>
      </header>

      {view === 'model' ? (
        <main>
          <ModelCard />
        </main>
      ) : (
        <main>
          <SubmitForm onSubmit={(submission) => void submit(submission)} busy={busy} error={formError} onError={setFormError} />

          {batchId !== null ? (
            <BatchView
              key={batchId}
              batchId={batchId}
              batch={batch}
              pollError={batchError}
              onOpenJob={(id) => navigate({ view: 'classify', jobId: id })}
            />
          ) : null}

          {jobId !== null ? (
            <JobStatus key={jobId} jobId={jobId} job={job} stopped={!isPolling && job === null}>
              {jobError ? (
                <ErrorAlert
                  error={jobError}
                  title={
                    pollError === null
                      ? failure?.title
                      : pollError.code === 'job_not_found'
                        ? 'Job not found'
                        : 'Could not get the job status'
                  }
                  hint={failure?.hint}
                />
              ) : null}
            </JobStatus>
          ) : null}

          {job && result ? (
            <>
              <ResultView result={result} />
              <SongTimeline
                key={job.id}
                result={result}
                source={job.source}
                file={upload?.jobId === job.id ? upload.file : null}
              />
            </>
          ) : null}

          <RecentResults
            entries={recent}
            currentJobId={jobId}
            onOpen={(id) => navigate({ view: 'classify', jobId: id })}
            onClear={() => setRecent(forgetAll())}
          />
        </main>
      )}

      <footer className="footer">
        <p>
          A song&apos;s genre is read from 3-second windows of it, combined as each result says. How good is the
          model? See the{' '}
          <a
            href={routeHref({ view: 'model', jobId })}
            onClick={(event) => {
              if (!isPlainClick(event)) return
              event.preventDefault()
              navigate({ view: 'model', jobId })
            }}
          >
            model card
          </a>
          .
        </p>
      </footer>
    </div>
  )
}
