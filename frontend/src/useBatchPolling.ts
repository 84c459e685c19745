import { ApiError, FINAL_BATCH_STATES, getBatch, type Batch } from './api.ts'
import { usePolling, type PollingOptions, type PollingTarget } from './usePolling.ts'

export interface BatchPollingState {
  batch: Batch | null
  /** Why polling stopped without a finished batch (unknown id, service unreachable). */
  error: ApiError | null
  polling: boolean
}

const BATCH_TARGET: PollingTarget<Batch> = {
  fetch: getBatch,
  isFinal: (batch) => FINAL_BATCH_STATES.has(batch.state),
  // What changes as a batch moves: its state and how many of its songs are where, so the table fills in
  // promptly and the wait grows only while nothing moves.
  progressOf: ({ state, counts: { queued, running, done, failed } }) => `${state}:${queued}:${running}:${done}:${failed}`,
}

/** Polls `GET /batches/{id}` until the batch is done, failed or expired, with the backoff of job polling. */
export function useBatchPolling(batchId: string | null, options: PollingOptions = {}): BatchPollingState {
  const { resource, error, polling } = usePolling(batchId, BATCH_TARGET, options)
  return { batch: resource, error, polling }
}
