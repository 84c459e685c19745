import type { ApiError, Batch, BatchState } from '../api.ts'
import { BatchDownloads } from './BatchDownloads.tsx'
import { BatchSummary } from './BatchSummary.tsx'
import { BatchTable } from './BatchTable.tsx'
import { ErrorAlert } from './ErrorAlert.tsx'

interface Props {
  batchId: string
  /** Null until the first answer about the batch has come. */
  batch: Batch | null
  /** Why polling stopped without a final state. */
  pollError: ApiError | null
  onOpenJob: (jobId: string) => void
}

const FAILURE_TITLES: Record<string, string> = {
  playlist_too_long: 'Playlist too long',
  empty_playlist: 'Empty playlist',
  not_a_playlist: 'Not a playlist',
  rate_limited: 'Too many songs at once',
}

function description(batch: Batch | null, pollError: ApiError | null): string {
  if (pollError) return 'No status available.'
  if (batch === null) return 'Looking up the playlist…'
  const { total, done, failed } = batch.counts
  const texts: Record<BatchState, string> = {
    expanding: 'Reading the playlist…',
    running: `${done + failed} of ${total} songs finished…`,
    done: `All ${total} songs finished: ${done} classified${failed ? `, ${failed} failed` : ''}.`,
    failed: 'The playlist could not be classified.',
    expired: 'This playlist’s results are no longer kept.',
  }
  return texts[batch.state]
}

/** A playlist's batch: its progress, a table filling in as its songs finish, a per-genre summary, downloads. */
export function BatchView({ batchId, batch, pollError, onOpenJob }: Props) {
  const state = batch?.state ?? (pollError ? 'unknown' : 'loading')
  const active = state === 'expanding' || state === 'running' || state === 'loading'
  const total = batch?.counts.total ?? 0
  const finished = batch ? batch.counts.done + batch.counts.failed : 0
  const progress = state === 'done' ? 1 : total > 0 ? finished / total : 0
  const error = pollError
    ? { code: pollError.code, message: pollError.message }
    : batch?.state === 'failed' || batch?.state === 'expired'
      ? batch.error
      : null

  return (
    <section className={`card job batch batch-${state}`} aria-labelledby="batch-heading" data-testid="batch">
      <div className="job-header">
        <h2 id="batch-heading">{batch?.title ?? 'Playlist'}</h2>
        <code className="job-id" title="Batch id">
          {batchId}
        </code>
      </div>
      {batch ? (
        <p className="job-source">
          <span className="visually-hidden">Playlist: </span>
          {batch.url}
        </p>
      ) : null}
      <p className="job-state" data-testid="batch-state" data-state={state} role="status" aria-live="polite">
        {active ? <span className="spinner" aria-hidden="true" /> : null}
        {description(batch, pollError)}
      </p>
      {total > 0 ? (
        <div
          className={`progress${active ? ' active' : ''}`}
          role="progressbar"
          aria-label="Songs finished"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={finished}
          aria-valuetext={`${finished} of ${total} songs finished`}
        >
          <div className="progress-fill" style={{ width: `${progress * 100}%` }} />
        </div>
      ) : null}
      {error ? (
        <ErrorAlert
          error={error}
          title={pollError?.code === 'batch_not_found' ? 'Playlist not found' : FAILURE_TITLES[error.code]}
        />
      ) : null}
      {batch && batch.entries.length > 0 ? (
        <>
          <BatchSummary batch={batch} />
          <BatchTable entries={batch.entries} onOpen={onOpenJob} />
          <BatchDownloads batch={batch} />
        </>
      ) : null}
    </section>
  )
}
