import { ApiError, FINAL_STATES, getJob, type Job } from './api.ts'
import { usePolling, type PollingOptions, type PollingTarget } from './usePolling.ts'

export { DEFAULT_POLLING, type PollingOptions } from './usePolling.ts'

export interface PollingState {
  job: Job | null
  /** Why polling stopped without a finished job (unknown id, service unreachable). */
  error: ApiError | null
  /** A request is planned or under way. */
  polling: boolean
}

const JOB_TARGET: PollingTarget<Job> = {
  fetch: getJob,
  isFinal: (job) => FINAL_STATES.has(job.state),
  progressOf: (job) => job.state,
}

/** Polls `GET /jobs/{id}` until the job is done or failed (see `usePolling` for the backoff). */
export function useJobPolling(jobId: string | null, options: PollingOptions = {}): PollingState {
  const { resource, error, polling } = usePolling(jobId, JOB_TARGET, options)
  return { job: resource, error, polling }
}
