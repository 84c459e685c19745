import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { ResultView } from '../components/ResultView.tsx'
import { sampleResult, screenedResult } from './fixtures.ts'

describe('ResultView', () => {
  it('renders one bar per genre, sorted by probability, with the right percentages and widths', () => {
    render(<ResultView result={sampleResult()} />)

    const bars = screen.getAllByTestId('prob-bar')
    expect(bars.map((bar) => bar.dataset.genre)).toEqual([
      'rock',
      'jazz',
      'country',
      'metal',
      'pop',
      'blues',
      'hiphop',
      'disco',
      'classical',
      'reggae',
    ])
    const percentages = bars.map((bar) => bar.querySelector('.bar-value')?.textContent)
    expect(percentages).toEqual(['67.0%', '12.0%', '8.0%', '5.0%', '3.0%', '2.0%', '1.5%', '1.0%', '0.5%', '0.0%'])
    const widths = bars.map((bar) => (bar.querySelector('.bar-fill') as HTMLElement).style.width)
    expect(widths).toEqual(['67%', '12%', '8%', '5%', '3%', '2%', '1.5%', '1%', '0.5%', '0%'])

    expect(screen.getByTestId('top-genre').textContent).toBe('rock')
    expect(within(screen.getByTestId('result')).getByText('67.0%', { selector: 'strong' })).toBeTruthy()
    expect(screen.getByTestId('duration').textContent).toBe('3:25')
    expect(screen.getByTestId('windows').textContent).toBe('68 × 3 s')
    expect(screen.queryByTestId('unsure')).toBeNull()
  })

  it('says how the windows were combined: plain mean, or geometric mean for models fit that way', () => {
    const { unmount } = render(<ResultView result={sampleResult()} />)
    expect(screen.getByTestId('aggregation').textContent).toBe("The song's probabilities are the mean of its 68 windows'.")
    unmount()
    render(<ResultView result={sampleResult({ song_aggregation: 'mean_log_probability' })} />)
    expect(screen.getByTestId('aggregation').textContent).toContain('normalised geometric mean of its 68 windows')
  })

  it('says plainly that the model is unsure below 50% and names the runners-up', () => {
    const result = sampleResult({
      song_probabilities: { blues: 0.1, jazz: 0.3, rock: 0.42, pop: 0.18 },
      labels: ['blues', 'jazz', 'pop', 'rock'],
      top_genre: 'rock',
      top_probability: 0.42,
    })
    render(<ResultView result={result} />)

    const note = screen.getByTestId('unsure').textContent ?? ''
    expect(note).toMatch(/unsure/)
    expect(note).toContain('rock, gets only 42.0%')
    expect(note).toContain('jazz (30.0%) or pop (18.0%)')
    expect(screen.getAllByTestId('prob-bar').map((bar) => bar.dataset.genre)).toEqual(['rock', 'jazz', 'pop', 'blues'])
  })

  it('says under the genre which windows it rests on when some were left out, and nothing extra otherwise', () => {
    const { unmount } = render(<ResultView result={screenedResult()} />)
    const note = screen.getByTestId('voting-note')
    expect(note.textContent).toBe('Based on 5 of 8 windows: 2 left out as silence, 1 as speech or noise.')
    // Under the genre, before the bars.
    expect(note.compareDocumentPosition(screen.getByTestId('top-genre')) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy()
    expect(note.compareDocumentPosition(screen.getAllByTestId('prob-bar')[0]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(screen.getByTestId('aggregation').textContent).toBe("The song's probabilities are the mean of its 5 music windows'.")
    expect(screen.getByTestId('windows').textContent).toBe('8 × 3 s')
    unmount()

    const allMusic = screenedResult({ window_counts: { music: 8, silence: 0, not_music: 0 } })
    allMusic.windows = allMusic.windows.map((window) => ({ ...window, kind: 'music' }))
    render(<ResultView result={allMusic} />)
    expect(screen.queryByTestId('voting-note')).toBeNull()
    expect(screen.getByTestId('aggregation').textContent).toBe("The song's probabilities are the mean of its 8 windows'.")
  })

  it('gives the song’s loudness and the level it was analysed at in the small print, when the result has it', () => {
    const { unmount } = render(<ResultView result={screenedResult()} />)
    expect(screen.getByTestId('loudness').textContent).toBe(
      'Loudness −9.8 LUFS, analysed at −20 LUFS: the model hears every song equally loud.',
    )
    unmount()
    render(<ResultView result={screenedResult({ loudness_lufs: null })} />)
    expect(screen.queryByTestId('loudness')).toBeNull()
  })

  it('renders a result from before windows were screened: no note, no loudness', () => {
    render(<ResultView result={sampleResult()} />)
    expect(screen.queryByTestId('voting-note')).toBeNull()
    expect(screen.queryByTestId('loudness')).toBeNull()
  })
})
