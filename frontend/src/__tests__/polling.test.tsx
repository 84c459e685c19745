import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import App from '../App.tsx'
import type { JobState } from '../api.ts'
import { calls, mockApi, sampleJob, sampleModel } from './fixtures.ts'

/** Let timers run and promises settle, inside act so React renders what they set. */
async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
  })
}

function jobCalls(fetchMock: Parameters<typeof calls>[0]): number {
  return calls(fetchMock).filter((call) => call.startsWith('GET /jobs/')).length
}

describe('job polling', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('resumes the job in ?job=, follows its stages with backoff and stops at done', async () => {
    window.history.replaceState(null, '', '/?job=job123')
    const states: JobState[] = ['queued', 'queued', 'queued', 'downloading', 'analyzing', 'done']
    let answered = 0
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/job123': () => ({ body: sampleJob(states[Math.min(answered++, states.length - 1)]) }),
    })

    render(<App />)
    await advance(0)
    expect(jobCalls(fetchMock)).toBe(1)
    expect(screen.getByTestId('job-state').dataset.state).toBe('queued')
    expect(screen.getByTestId('job-state').getAttribute('aria-live')).toBe('polite')

    // Second request after 500 ms, not before.
    await advance(499)
    expect(jobCalls(fetchMock)).toBe(1)
    await advance(1)
    expect(jobCalls(fetchMock)).toBe(2)

    // Same state again: the wait grows to 750 ms.
    await advance(749)
    expect(jobCalls(fetchMock)).toBe(2)
    await advance(1)
    expect(jobCalls(fetchMock)).toBe(3)

    // Then 1125 ms → downloading; a changed state starts the wait over at 500 ms.
    await advance(1125)
    expect(jobCalls(fetchMock)).toBe(4)
    expect(screen.getByTestId('job-state').dataset.state).toBe('downloading')
    await advance(500)
    expect(screen.getByTestId('job-state').dataset.state).toBe('analyzing')
    await advance(500)
    expect(jobCalls(fetchMock)).toBe(6)
    expect(screen.getByTestId('job-state').dataset.state).toBe('done')
    expect(screen.getByTestId('top-genre').textContent).toBe('rock')
    expect(screen.getAllByTestId('prob-bar')).toHaveLength(10)

    // Nothing more is asked once the job is done.
    await advance(60_000)
    expect(jobCalls(fetchMock)).toBe(6)
  })

  it('never waits longer than 3 s between two requests', async () => {
    window.history.replaceState(null, '', '/?job=job123')
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/job123': { body: sampleJob('analyzing') },
    })
    render(<App />)
    await advance(0)
    await advance(20_000) // 500 + 750 + 1125 + 1687.5 + 2531.25 + 3000… → the wait is capped
    const before = jobCalls(fetchMock)
    await advance(3000)
    expect(jobCalls(fetchMock)).toBe(before + 1)
  })

  it('submits a link, puts the job id in the address and polls it until it failed', async () => {
    let answered = 0
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'POST /classify': (init) => {
        expect(JSON.parse(String(init?.body))).toEqual({ url: 'https://example.com/song.mp3' })
        return { status: 202, body: { job_id: 'job123', status_url: '/jobs/job123', state: 'queued' } }
      },
      'GET /jobs/job123': () =>
        answered++ === 0
          ? { body: sampleJob('downloading') }
          : {
              body: sampleJob('failed', {
                error: { code: 'download_failed', message: 'The link answered 403 Forbidden.' },
              }),
            },
    })
    render(<App />)
    await advance(0)

    fireEvent.change(screen.getByTestId('url-input'), { target: { value: 'https://example.com/song.mp3' } })
    fireEvent.click(screen.getByTestId('submit-url'))
    await advance(0)

    expect(window.location.search).toBe('?job=job123')
    expect(screen.getByTestId('job-state').dataset.state).toBe('downloading')
    await advance(500)
    expect(screen.getByTestId('job-state').dataset.state).toBe('failed')
    const error = screen.getByRole('alert')
    expect(error.dataset.code).toBe('download_failed')
    expect(error.textContent).toContain('The link answered 403 Forbidden.')
    expect(screen.queryByTestId('result')).toBeNull()

    await advance(30_000)
    expect(calls(fetchMock).filter((call) => call.startsWith('GET /jobs/'))).toHaveLength(2)
  })

  it('stops at once and says so when the job is unknown (404)', async () => {
    window.history.replaceState(null, '', '/?job=gone')
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/gone': {
        status: 404,
        body: { error: { code: 'job_not_found', message: 'No job gone; jobs are kept for a day.' } },
      },
    })
    render(<App />)
    await advance(0)
    const error = screen.getByTestId('error')
    expect(error.dataset.code).toBe('job_not_found')
    expect(error.textContent).toContain('No job gone; jobs are kept for a day.')
    await advance(30_000)
    expect(calls(fetchMock).filter((call) => call.startsWith('GET /jobs/'))).toHaveLength(1)
  })
})
