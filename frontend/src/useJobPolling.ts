import { useEffect, useState } from 'react'

import { ApiError, FINAL_STATES, getJob, type Job } from './api.ts'

export interface PollingOptions {
  /** Wait before the second request, and again after each change of state. */
  initialDelayMs?: number
  /** The longest wait between two requests. */
  maxDelayMs?: number
  /** Each unchanged answer multiplies the wait by this. */
  factor?: number
  /** Give up after this many failed requests in a row that were worth retrying (no answer, 5xx). */
  maxConsecutiveFailures?: number
}

export const DEFAULT_POLLING: Required<PollingOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 3000,
  factor: 1.5,
  maxConsecutiveFailures: 6,
}

export interface PollingState {
  job: Job | null
  /** Why polling stopped without a finished job (unknown id, service unreachable). */
  error: ApiError | null
  /** A request is planned or under way. */
  polling: boolean
}

const IDLE: PollingState = { job: null, error: null, polling: false }

/**
 * Polls `GET /jobs/{id}` until the job is done or failed: first at once, then after
 * `initialDelayMs`, the wait growing by `factor` up to `maxDelayMs` while the state stays the same
 * and starting over when it changes. A 4xx answer (e.g. 404 job_not_found) stops at once; a
 * transient failure is retried with the same backoff, up to `maxConsecutiveFailures` in a row.
 */
export function useJobPolling(jobId: string | null, options: PollingOptions = {}): PollingState {
  const { initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures } = { ...DEFAULT_POLLING, ...options }
  const [state, setState] = useState<PollingState & { jobId: string | null }>({ ...IDLE, jobId: null })

  // A new job id starts from a clean slate during render, so no stale job flashes for one frame.
  if (state.jobId !== jobId) {
    setState({ ...IDLE, polling: jobId !== null, jobId })
  }

  useEffect(() => {
    if (jobId === null) return

    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let delay = initialDelayMs
    let lastState: string | null = null
    let failures = 0

    const schedule = () => {
      timer = setTimeout(tick, delay)
    }

    const tick = async () => {
      try {
        const job = await getJob(jobId, controller.signal)
        if (controller.signal.aborted) return
        failures = 0
        const final = FINAL_STATES.has(job.state)
        setState({ job, error: null, polling: !final, jobId })
        if (final) return
        delay = job.state === lastState ? Math.min(delay * factor, maxDelayMs) : initialDelayMs
        lastState = job.state
        schedule()
      } catch (caught) {
        if (controller.signal.aborted) return
        const error =
          caught instanceof ApiError
            ? caught
            : new ApiError('unexpected_error', caught instanceof Error ? caught.message : String(caught), 0)
        failures += 1
        if (!error.transient || failures >= maxConsecutiveFailures) {
          setState((previous) => ({ ...previous, error, polling: false }))
          return
        }
        delay = Math.min(delay * factor, maxDelayMs)
        schedule()
      }
    }

    void tick()
    return () => {
      controller.abort()
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [jobId, initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures])

  return { job: state.job, error: state.error, polling: state.polling }
}
