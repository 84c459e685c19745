import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'

import { TimelineChart } from '../components/TimelineChart.tsx'
import { LABELS, sampleResult, screenedResult } from './fixtures.ts'

function renderChart(props: Partial<Parameters<typeof TimelineChart>[0]> = {}) {
  const onSelectWindow = vi.fn()
  const result = props.result ?? sampleResult()
  const view = render(
    <TimelineChart
      result={result}
      stackOrder={LABELS}
      selected={null}
      position={null}
      onSelectWindow={onSelectWindow}
      {...props}
    />,
  )
  return { ...view, onSelectWindow, result }
}

describe('TimelineChart', () => {
  it('draws one layer per genre and one column per window, left to right', () => {
    const { container } = renderChart()
    expect(container.querySelectorAll('path.timeline-layer')).toHaveLength(10)
    const columns = screen.getAllByTestId('timeline-window')
    expect(columns).toHaveLength(68)
    const starts = columns.map((column) => Number(column.dataset.start))
    expect(starts.slice(0, 3)).toEqual([0, 3, 6])
    const xs = columns.map((column) => Number(column.getAttribute('x')))
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    expect(Number(columns[1].getAttribute('x'))).toBeGreaterThan(Number(columns[0].getAttribute('x')))
    // Time ticks under the chart, as m:ss.
    expect(container.textContent).toContain('1:00')
  })

  it('calls back with the window and its start time when a window is clicked', () => {
    const { onSelectWindow } = renderChart()
    fireEvent.click(screen.getAllByTestId('timeline-window')[5])
    expect(onSelectWindow).toHaveBeenCalledWith(5, 15)
  })

  it('is a slider for the keyboard: arrows, Page Up/Down, Home and End move between windows', () => {
    const { onSelectWindow } = renderChart({ selected: 5 })
    const slider = screen.getByRole('slider')
    expect(slider.tabIndex).toBe(0)
    expect(slider.getAttribute('aria-valuenow')).toBe('5')
    expect(slider.getAttribute('aria-valuetext')).toBe('Window 6 of 68, 0:15 to 0:18: rock 67%, jazz 12%, country 8%')

    fireEvent.keyDown(slider, { key: 'ArrowRight' })
    expect(onSelectWindow).toHaveBeenLastCalledWith(6, 18)
    fireEvent.keyDown(slider, { key: 'ArrowLeft' })
    expect(onSelectWindow).toHaveBeenLastCalledWith(4, 12)
    fireEvent.keyDown(slider, { key: 'PageUp' })
    expect(onSelectWindow).toHaveBeenLastCalledWith(15, 45)
    fireEvent.keyDown(slider, { key: 'End' })
    expect(onSelectWindow).toHaveBeenLastCalledWith(67, 201)
    fireEvent.keyDown(slider, { key: 'Home' })
    expect(onSelectWindow).toHaveBeenLastCalledWith(0, 0)
    fireEvent.keyDown(slider, { key: 'a' })
    expect(onSelectWindow).toHaveBeenCalledTimes(5)
  })

  it('outlines the selected window and marks the player position', () => {
    renderChart({ selected: 7, position: 22.5 })
    expect(screen.getByTestId('timeline-selection').dataset.index).toBe('7')
    expect(screen.getByTestId('timeline-playhead').dataset.seconds).toBe('22.5')
  })

  it('has no position mark without a player', () => {
    renderChart({ selected: null, position: null })
    expect(screen.queryByTestId('timeline-playhead')).toBeNull()
    expect(screen.queryByTestId('timeline-selection')).toBeNull()
    expect(screen.getByRole('slider').getAttribute('aria-valuetext')).toBe('No window chosen')
  })

  it('greys out silence and hatches speech or noise instead of colouring them as a genre, and names them', () => {
    const { container } = renderChart({ result: screenedResult() })
    const segments = screen.getAllByTestId('left-out-segment')
    expect(segments.map((segment) => segment.dataset.kind)).toEqual(['silence', 'not_music'])
    // The silence stretch (2 windows) is wide enough for its label; the one speech window is not.
    expect(segments[0].querySelector('text')?.textContent).toBe('silence')
    expect(segments[1].querySelector('text')).toBeNull()
    // The speech window is filled with the hatch pattern defined in the chart.
    const fill = segments[1].querySelector('rect')?.getAttribute('fill') ?? ''
    const patternId = fill.match(/^url\(#(.+)\)$/)?.[1]
    expect(patternId).toBeTruthy()
    expect(container.querySelector(`pattern[id="${patternId}"]`)).not.toBeNull()
    expect(screen.getAllByTestId('timeline-window').map((column) => column.dataset.kind)).toEqual([
      'silence',
      'silence',
      'music',
      'music',
      'not_music',
      'music',
      'music',
      'music',
    ])
  })

  it('tells screen readers that a window was left out, and why', () => {
    const { rerender, onSelectWindow } = renderChart({ result: screenedResult(), selected: 4 })
    const slider = screen.getByRole('slider')
    expect(slider.getAttribute('aria-valuetext')).toBe(
      "Window 5 of 8, 0:12 to 0:15: speech or noise (music 12%), left out of the song's genre",
    )
    rerender(<TimelineChart result={screenedResult()} stackOrder={LABELS} selected={0} position={null} onSelectWindow={onSelectWindow} />)
    expect(slider.getAttribute('aria-valuetext')).toBe("Window 1 of 8, 0:00 to 0:03: silence, left out of the song's genre")
  })

  it('draws no left-out segments for a result whose windows all voted', () => {
    renderChart()
    expect(screen.queryAllByTestId('left-out-segment')).toHaveLength(0)
  })
})
