import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { ResultView } from '../components/ResultView.tsx'
import { sampleResult } from './fixtures.ts'

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
})
