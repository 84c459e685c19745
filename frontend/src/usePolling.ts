import { useEffect, useState } from 'react'

import { ApiError } from './api.ts'

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

/** How to poll one kind of resource. Pass module-level functions: they are effect dependencies. */
export interface PollingTarget<T> {
  fetch: (id: string, signal: AbortSignal) => Promise<T>
  /** The resource will not change any more: polling stops. */
  isFinal: (resource: T) => boolean
  /** What changes as the resource moves on; the wait starts over whenever it changes. */
  progressOf: (resource: T) => string
}

export interface ResourcePollingState<T> {
  resource: T | null
  /** Why polling stopped without a final resource (unknown id, service unreachable). */
  error: ApiError | null
  /** A request is planned or under way. */
  polling: boolean
}

/**
 * Polls `target.fetch(id)` until the resource is final: first at once, then after `initialDelayMs`, the
 * wait growing by `factor` up to `maxDelayMs` while its progress stays the same and starting over when
 * it changes. A 4xx answer (e.g. 404 job_not_found) stops at once; a transient failure is retried with
 * the same backoff, up to `maxConsecutiveFailures` in a row.
 */
export function usePolling<T>(
  id: string | null,
  target: PollingTarget<T>,
  options: PollingOptions = {},
): ResourcePollingState<T> {
  const { initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures } = { ...DEFAULT_POLLING, ...options }
  const { fetch, isFinal, progressOf } = target
  const idle: ResourcePollingState<T> = { resource: null, error: null, polling: false }
  const [state, setState] = useState<ResourcePollingState<T> & { id: string | null }>({ ...idle, id: null })

  // A new id starts from a clean slate during render, so no stale resource flashes for one frame.
  if (state.id !== id) {
    setState({ ...idle, polling: id !== null, id })
  }

  useEffect(() => {
    if (id === null) return

    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let delay = initialDelayMs
    let lastProgress: string | null = null
    let failures = 0

    const schedule = () => {
      timer = setTimeout(tick, delay)
    }

    const tick = async () => {
      try {
        const resource = await fetch(id, controller.signal)
        if (controller.signal.aborted) return
        failures = 0
        const final = isFinal(resource)
        setState({ resource, error: null, polling: !final, id })
        if (final) return
        const progress = progressOf(resource)
        delay = progress === lastProgress ? Math.min(delay * factor, maxDelayMs) : initialDelayMs
        lastProgress = progress
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
  }, [id, fetch, isFinal, progressOf, initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures])

  return { resource: state.resource, error: state.error, polling: state.polling }
}
