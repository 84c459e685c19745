import { useEffect, useState } from 'react'

import { ApiError, FINAL_BATCH_STATES, getBatch, type Batch } from './api.ts'
import { DEFAULT_POLLING, type PollingOptions } from './useJobPolling.ts'

export interface BatchPollingState {
  batch: Batch | null
  /** Why polling stopped without a finished batch (unknown id, service unreachable). */
  error: ApiError | null
  polling: boolean
}

const IDLE: BatchPollingState = { batch: null, error: null, polling: false }

/** What changes as a batch moves: its state and how many of its songs are where. */
function progressOf(batch: Batch): string {
  const { queued, running, done, failed } = batch.counts
  return `${batch.state}:${queued}:${running}:${done}:${failed}`
}

/**
 * Polls `GET /batches/{id}` until the batch is done, failed or expired, with the backoff of job polling:
 * the wait starts over whenever a song moves (so the table fills in promptly) and grows while nothing does.
 */
export function useBatchPolling(batchId: string | null, options: PollingOptions = {}): BatchPollingState {
  const { initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures } = { ...DEFAULT_POLLING, ...options }
  const [state, setState] = useState<BatchPollingState & { batchId: string | null }>({ ...IDLE, batchId: null })

  if (state.batchId !== batchId) {
    setState({ ...IDLE, polling: batchId !== null, batchId })
  }

  useEffect(() => {
    if (batchId === null) return

    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let delay = initialDelayMs
    let lastProgress: string | null = null
    let failures = 0

    const tick = async () => {
      try {
        const batch = await getBatch(batchId, controller.signal)
        if (controller.signal.aborted) return
        failures = 0
        const final = FINAL_BATCH_STATES.has(batch.state)
        setState({ batch, error: null, polling: !final, batchId })
        if (final) return
        const progress = progressOf(batch)
        delay = progress === lastProgress ? Math.min(delay * factor, maxDelayMs) : initialDelayMs
        lastProgress = progress
        timer = setTimeout(tick, delay)
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
        timer = setTimeout(tick, delay)
      }
    }

    void tick()
    return () => {
      controller.abort()
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [batchId, initialDelayMs, maxDelayMs, factor, maxConsecutiveFailures])

  return { batch: state.batch, error: state.error, polling: state.polling }
}
