import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import App from '../App.tsx'
import { RecentResults } from '../components/RecentResults.tsx'
import { loadRecent, RECENT_KEY, RECENT_LIMIT, rememberResult, sourceName, type RecentResult } from '../recent.ts'
import { mockApi, sampleJob, sampleModel } from './fixtures.ts'

function entry(jobId: string, overrides: Partial<RecentResult> = {}): RecentResult {
  return { jobId, topGenre: 'rock', topProbability: 0.8, source: 'song.mp3', finishedAt: '2024-05-01T10:00:00Z', ...overrides }
}

describe('recent results storage', () => {
  beforeEach(() => localStorage.clear())

  it('keeps results newest first, each job once, at most ten', () => {
    rememberResult(entry('a'))
    rememberResult(entry('b'))
    expect(loadRecent().map((item) => item.jobId)).toEqual(['b', 'a'])

    // Seeing a result again updates it in place.
    rememberResult(entry('a', { topGenre: 'metal' }))
    expect(loadRecent().map((item) => [item.jobId, item.topGenre])).toEqual([
      ['b', 'rock'],
      ['a', 'metal'],
    ])

    for (let index = 0; index < 12; index += 1) rememberResult(entry(`job${index}`))
    const ids = loadRecent().map((item) => item.jobId)
    expect(ids).toHaveLength(RECENT_LIMIT)
    expect(ids[0]).toBe('job11')
    expect(ids).not.toContain('a')
  })

  it('survives garbage in storage and storage that refuses to write', () => {
    localStorage.setItem(RECENT_KEY, '{not json')
    expect(loadRecent()).toEqual([])
    localStorage.setItem(RECENT_KEY, JSON.stringify([entry('ok'), { jobId: 3 }, 'x']))
    expect(loadRecent().map((item) => item.jobId)).toEqual(['ok'])

    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    expect(rememberResult(entry('new')).map((item) => item.jobId)).toEqual(['new', 'ok'])
  })

  it('names a source by its file name or its link', () => {
    expect(sourceName({ source: { kind: 'upload', url: null, filename: 'My Song.flac' } })).toBe('My Song.flac')
    expect(sourceName({ source: { kind: 'url', url: 'https://www.youtube.com/watch?v=abc', filename: null } })).toBe(
      'youtube.com/watch?v=abc',
    )
  })
})

describe('RecentResults', () => {
  it('lists each result as a link to its page and opens it in place on a plain click', () => {
    const onOpen = vi.fn()
    render(
      <RecentResults
        entries={[entry('new', { topGenre: 'jazz', topProbability: 0.456, source: 'take-five.mp3' }), entry('old')]}
        currentJobId="old"
        onOpen={onOpen}
        onClear={() => undefined}
      />,
    )
    const links = screen.getAllByTestId('recent-result')
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['?job=new', '?job=old'])
    expect(links[0].textContent).toContain('jazz')
    expect(links[0].textContent).toContain('46%')
    expect(links[0].textContent).toContain('take-five.mp3')
    expect(links[1].getAttribute('aria-current')).toBe('page')

    fireEvent.click(links[0])
    expect(onOpen).toHaveBeenCalledWith('new')
    // A ctrl-click is the browser's (a new tab); jsdom cannot open one, so it is stopped after the page saw it.
    const stopNavigation = (event: Event) => event.preventDefault()
    document.addEventListener('click', stopNavigation)
    fireEvent.click(links[1], { ctrlKey: true })
    document.removeEventListener('click', stopNavigation)
    expect(onOpen).toHaveBeenCalledTimes(1)
  })

  it('shows nothing before the first result', () => {
    const { container } = render(<RecentResults entries={[]} currentJobId={null} onOpen={() => undefined} onClear={() => undefined} />)
    expect(container.textContent).toBe('')
  })
})

describe('recent results in the page', () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => localStorage.clear())

  it('remembers a finished job and opens an earlier one from the list', async () => {
    rememberResult(entry('earlier', { topGenre: 'blues', source: 'old.mp3' }))
    window.history.replaceState(null, '', '/?job=job123')
    mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/job123': { body: sampleJob('done') },
      'GET /jobs/earlier': { body: sampleJob('done', { id: 'earlier' }) },
    })
    await act(async () => {
      render(<App />)
    })
    await screen.findByTestId('result')
    const ids = () => screen.getAllByTestId('recent-result').map((link) => link.dataset.jobId)
    expect(ids()).toEqual(['job123', 'earlier'])
    expect(loadRecent()[0]).toMatchObject({ jobId: 'job123', topGenre: 'rock', source: 'example.com/song.mp3' })

    await act(async () => {
      fireEvent.click(screen.getAllByTestId('recent-result')[1])
    })
    expect(window.location.search).toBe('?job=earlier')
    expect(ids()).toEqual(['job123', 'earlier'])

    fireEvent.click(screen.getByTestId('clear-recent'))
    expect(screen.queryByTestId('recent-results')).toBeNull()
    expect(loadRecent()).toEqual([])
  })
})
