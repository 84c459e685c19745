import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import App from '../App.tsx'
import { BatchView } from '../components/BatchView.tsx'
import { doneEntry, failedEntry, sampleBatch, sampleEntry } from './batchFixtures.ts'
import { calls, mockApi, sampleJob, sampleModel } from './fixtures.ts'

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms)
  })
}

describe('the batch view', () => {
  it('shows each song with its genre and confidence, a summary and the downloads', () => {
    const batch = sampleBatch('done', [doneEntry(1, 'jazz', 0.81), failedEntry(2), doneEntry(3, 'jazz', 0.55), doneEntry(4, 'rock', 0.9)])
    const onOpenJob = vi.fn()
    render(<BatchView batchId="batch123" batch={batch} pollError={null} onOpenJob={onOpenJob} />)

    expect(screen.getByRole('heading', { name: 'My playlist' })).toBeTruthy()
    expect(screen.getByTestId('batch-state').textContent).toBe('All 4 songs finished: 3 classified, 1 failed.')
    const rows = screen.getAllByTestId('batch-entry')
    expect(rows.map((row) => row.dataset.state)).toEqual(['done', 'failed', 'done', 'done'])
    expect(within(rows[0]).getByTestId('entry-genre').textContent).toBe('jazz')
    expect(within(rows[0]).getByTestId('entry-confidence').textContent).toBe('81%')
    expect(within(rows[1]).getByText(/Failed: The server answered 404/)).toBeTruthy()

    const summary = screen.getByTestId('batch-summary')
    expect(within(summary).getAllByRole('listitem').map((item) => item.dataset.genre)).toEqual(['jazz', 'rock', 'failed'])
    expect(summary.textContent).toContain('jazz 2')

    // A song's result opens in the page; the link also works as a plain link (new tab).
    const link = within(rows[3]).getByTestId('entry-result')
    expect(link.getAttribute('href')).toBe('?job=job4')
    fireEvent.click(link)
    expect(onOpenJob).toHaveBeenCalledWith('job4')
  })

  it('downloads the table as CSV and the batch as JSON', () => {
    const created: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (blob: Blob) => (created.push(blob), 'blob:x'), revokeObjectURL: () => undefined }))
    const batch = sampleBatch('done', [doneEntry(1, 'jazz', 0.81)])
    render(<BatchView batchId="batch123" batch={batch} pollError={null} onOpenJob={() => undefined} />)
    fireEvent.click(screen.getByTestId('download-csv'))
    fireEvent.click(screen.getByTestId('download-json'))
    expect(created.map((blob) => blob.type)).toEqual(['text/csv', 'application/json'])
  })

  it('says why a playlist could not be used', () => {
    const batch = sampleBatch('failed', [], {
      error: { code: 'playlist_too_long', message: 'This playlist has 120 songs; at most 50 are classified at once.' },
    })
    render(<BatchView batchId="batch123" batch={batch} pollError={null} onOpenJob={() => undefined} />)
    const alert = screen.getByTestId('error')
    expect(alert.dataset.code).toBe('playlist_too_long')
    expect(alert.textContent).toContain('Playlist too long')
    expect(screen.queryByTestId('batch-entry')).toBeNull()
  })
})

describe('a playlist link in the form', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('leads to the batch view, whose table fills in as the songs finish', async () => {
    const answers = [
      sampleBatch('expanding', []),
      sampleBatch('running', [sampleEntry(1), sampleEntry(2)]),
      sampleBatch('running', [doneEntry(1, 'metal', 0.7), sampleEntry(2, { state: 'analyzing' })]),
      sampleBatch('done', [doneEntry(1, 'metal', 0.7), doneEntry(2, 'blues', 0.6)]),
    ]
    let polled = 0
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'POST /classify': { status: 202, body: { batch_id: 'batch123', status_url: '/batches/batch123', state: 'expanding' } },
      'GET /batches/batch123': () => ({ body: answers[Math.min(polled++, answers.length - 1)] }),
    })
    render(<App />)
    fireEvent.change(screen.getByTestId('url-input'), { target: { value: 'https://www.youtube.com/playlist?list=PL1' } })
    fireEvent.submit(screen.getByTestId('url-input').closest('form') as HTMLFormElement)
    await advance(0)
    expect(window.location.search).toBe('?batch=batch123')
    expect(screen.getByTestId('batch-state').dataset.state).toBe('expanding')

    await advance(500)
    expect(screen.getAllByTestId('batch-entry')).toHaveLength(2)
    await advance(500)
    expect(screen.getAllByTestId('entry-genre').map((cell) => cell.textContent)).toEqual(['metal', ''])
    await advance(500)
    expect(screen.getByTestId('batch-state').dataset.state).toBe('done')
    expect(screen.getAllByTestId('entry-genre').map((cell) => cell.textContent)).toEqual(['metal', 'blues'])
    expect(document.title).toContain('My playlist')

    // Done: no more polls.
    const before = calls(fetchMock).length
    await advance(30_000)
    expect(calls(fetchMock).length).toBe(before)
  })

  it('sends a link that turned out to be a playlist again, as one', async () => {
    const sent: unknown[] = []
    mockApi({
      'GET /models/current': { body: sampleModel() },
      'POST /classify': (init) => {
        const body = JSON.parse(String(init?.body))
        sent.push(body)
        return body.playlist
          ? { status: 202, body: { batch_id: 'batch123', status_url: '/batches/batch123', state: 'expanding' } }
          : { status: 202, body: { job_id: 'job123', status_url: '/jobs/job123', state: 'queued' } }
      },
      'GET /jobs/job123': {
        body: sampleJob('failed', {
          error: { code: 'playlist_not_supported', message: 'This link is a playlist; send it as one.' },
        }),
      },
      'GET /batches/batch123': { body: sampleBatch('running', [sampleEntry(1)]) },
    })
    render(<App />)
    const feed = 'http://127.0.0.1:9000/feed.xml'
    fireEvent.change(screen.getByTestId('url-input'), { target: { value: feed } })
    fireEvent.submit(screen.getByTestId('url-input').closest('form') as HTMLFormElement)
    await advance(0)
    await advance(0)
    expect(sent).toEqual([{ url: feed }, { url: feed, playlist: true }])
    expect(window.location.search).toBe('?batch=batch123')
    expect(screen.getAllByTestId('batch-entry')).toHaveLength(1)
  })
})
