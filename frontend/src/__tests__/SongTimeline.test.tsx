import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { ClassificationResult, JobSource } from '../api.ts'
import { SongTimeline } from '../components/SongTimeline.tsx'
import { LABELS, sampleResult, screenedResult } from './fixtures.ts'

const LINK: JobSource = { kind: 'url', url: 'http://127.0.0.1:8000/song.ogg', filename: null }
const UPLOAD: JobSource = { kind: 'upload', url: null, filename: 'song.wav' }
const YOUTUBE: JobSource = { kind: 'url', url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ', filename: null }

/** 4 windows: rock, rock, metal, metal (+ a metal blip-free tail), so the song turns once. */
function turningResult(): ClassificationResult {
  const rock = LABELS.map((genre) => (genre === 'rock' ? 0.7 : genre === 'metal' ? 0.2 : 0.1 / 8))
  const metal = LABELS.map((genre) => (genre === 'metal' ? 0.8 : genre === 'rock' ? 0.1 : 0.1 / 8))
  return sampleResult({
    duration_seconds: 12,
    windows: [rock, rock, metal, metal].map((probabilities, index) => ({
      start_seconds: index * 3,
      end_seconds: index * 3 + 3,
      probabilities,
    })),
  })
}

function windowColumn(index: number): HTMLElement {
  return screen.getAllByTestId('timeline-window')[index]
}

describe('SongTimeline', () => {
  // jsdom has no object URLs.
  beforeEach(() => {
    URL.createObjectURL = vi.fn(() => 'blob:song')
    URL.revokeObjectURL = vi.fn()
  })
  afterEach(() => {
    Reflect.deleteProperty(URL, 'createObjectURL')
    Reflect.deleteProperty(URL, 'revokeObjectURL')
  })

  it('for a link without a player: a click selects the window and shows its genres', () => {
    render(<SongTimeline result={turningResult()} source={LINK} />)
    expect(screen.queryByTestId('audio-player')).toBeNull()
    expect(screen.queryByTestId('youtube-player')).toBeNull()
    expect(screen.getByTestId('window-detail').dataset.index).toBeUndefined()

    fireEvent.click(windowColumn(2))
    expect(screen.getByTestId('timeline-selection').dataset.index).toBe('2')
    const detail = screen.getByTestId('window-detail')
    expect(detail.dataset.index).toBe('2')
    expect(screen.getByTestId('window-time').textContent).toBe('0:06–0:09')
    expect([...detail.querySelectorAll('li')].map((item) => item.textContent)).toEqual(['metal 80%', 'rock 10%', 'blues 1%'])
  })

  it('says in words where the genre changes, names every colour, and offers the windows as a table', () => {
    render(<SongTimeline result={turningResult()} source={LINK} />)
    const sections = [...screen.getByTestId('sections').querySelectorAll('li')].map((item) => item.textContent)
    expect(sections).toEqual(['0:00–0:06 rock', '0:06–0:12 metal'])
    const legend = [...screen.getByTestId('legend').querySelectorAll('li')].map((item) => item.dataset.genre)
    expect(legend).toHaveLength(10)
    expect(screen.getByTestId('timeline-table').querySelectorAll('tbody tr')).toHaveLength(4)
  })

  it('plays an uploaded file: a click seeks the audio and the position is marked', () => {
    const file = new File(['RIFF'], 'song.wav', { type: 'audio/wav' })
    render(<SongTimeline result={turningResult()} source={UPLOAD} file={file} />)
    const audio = screen.getByTestId('audio-player') as HTMLAudioElement
    expect(audio.getAttribute('src')).toBe('blob:song')
    expect(screen.getByTestId('timeline-playhead').dataset.seconds).toBe('0')

    fireEvent.click(windowColumn(3))
    expect(audio.currentTime).toBe(9)
    fireEvent(audio, new Event('seeked'))
    expect(screen.getByTestId('timeline-playhead').dataset.seconds).toBe('9')

    // While it plays, the chosen window follows the music.
    audio.currentTime = 4
    fireEvent(audio, new Event('timeupdate'))
    expect(screen.getByTestId('timeline-selection').dataset.index).toBe('1')
  })

  it('embeds a YouTube video privately and drives it with postMessage', () => {
    render(<SongTimeline result={turningResult()} source={YOUTUBE} />)
    const frame = screen.getByTestId('youtube-player') as HTMLIFrameElement
    expect(frame.src).toMatch(/^https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ\?enablejsapi=1&/)
    const player = frame.contentWindow!
    const postMessage = vi.spyOn(player, 'postMessage').mockImplementation(() => undefined)
    expect(frame.dataset.connected).toBe('false')

    fireEvent.click(windowColumn(2))
    const sent = postMessage.mock.calls.map(([message, origin]) => [JSON.parse(String(message)), origin])
    expect(sent).toContainEqual([
      expect.objectContaining({ event: 'command', func: 'seekTo', args: [6, true] }),
      'https://www.youtube-nocookie.com',
    ])

    // The player's reports move the mark; messages from elsewhere are ignored.
    act(() => {
      window.dispatchEvent(
        new MessageEvent('message', {
          data: JSON.stringify({ event: 'infoDelivery', info: { currentTime: 7.25 } }),
          origin: 'https://www.youtube-nocookie.com',
          source: player,
        }),
      )
      window.dispatchEvent(
        new MessageEvent('message', {
          data: JSON.stringify({ event: 'infoDelivery', info: { currentTime: 99 } }),
          origin: 'https://evil.example',
          source: player,
        }),
      )
    })
    expect(screen.getByTestId('timeline-playhead').dataset.seconds).toBe('7.25')
    expect(frame.dataset.connected).toBe('true')
  })

  it('names the kind of a window that did not vote in the detail, the table, the sections and the legend', () => {
    render(<SongTimeline result={screenedResult()} source={LINK} />)

    fireEvent.click(windowColumn(4))
    const detail = screen.getByTestId('window-detail')
    expect(detail.dataset.kind).toBe('not_music')
    expect(detail.querySelectorAll('li')).toHaveLength(0)
    expect(screen.getByTestId('window-left-out').textContent).toBe(
      'Speech or noise. The music detector hears speech, applause or noise here (music 12%), so it is left out of the song’s genre.',
    )
    fireEvent.click(windowColumn(1))
    expect(screen.getByTestId('window-left-out').textContent).toContain('Silence. Far quieter than the rest of the song')
    fireEvent.click(windowColumn(2))
    expect([...screen.getByTestId('window-detail').querySelectorAll('li')].map((item) => item.dataset.genre)).toHaveLength(3)

    const rows = [...screen.getByTestId('timeline-table').querySelectorAll('tbody tr')].map((row) => row.textContent)
    expect(rows[0]).toBe('0:00–0:03silence left out')
    expect(rows[4]).toBe('0:12–0:15speech or noise (music 12%) left out')
    expect(rows[2]).toContain('rock 70%')

    const sections = [...screen.getByTestId('sections').querySelectorAll('li')].map((item) => item.textContent)
    expect(sections).toEqual(['0:06–0:18 rock', '0:18–0:24 metal'])
    expect(screen.getByTestId('left-out-stretches').textContent).toBe('Left out: 0:00–0:06 silence; 0:12–0:15 speech or noise.')

    const legend = screen.getByTestId('left-out-legend')
    expect([...legend.querySelectorAll('li')].map((item) => item.dataset.kind)).toEqual(['silence', 'not_music'])
    expect(screen.getByTestId('legend').querySelectorAll('li')).toHaveLength(10)
  })

  it('shows no left-out legend or list when every window voted', () => {
    render(<SongTimeline result={turningResult()} source={LINK} />)
    expect(screen.queryByTestId('left-out-legend')).toBeNull()
    expect(screen.queryByTestId('left-out-stretches')).toBeNull()
  })
})
