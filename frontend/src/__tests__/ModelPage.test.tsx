import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import shippedManifest from '../../../models/default/manifest.json'
import App from '../App.tsx'
import type { ModelManifest } from '../api.ts'
import { ConfusionMatrix } from '../components/ConfusionMatrix.tsx'
import { F1Bars } from '../components/F1Bars.tsx'
import { ModelCard } from '../components/ModelCard.tsx'
import { percent } from '../format.ts'
import { mockApi, sampleModel } from './fixtures.ts'

/** The manifest of the model this repository ships: real figures. */
const shipped = shippedManifest as unknown as ModelManifest

describe('ConfusionMatrix', () => {
  const labels = ['blues', 'jazz', 'rock']
  const matrix = [
    [8, 2, 0],
    [1, 9, 0],
    [0, 5, 5],
  ]

  it('is a table with the genre names on both axes and the count in every cell', () => {
    render(<ConfusionMatrix labels={labels} matrix={matrix} split="valid" />)
    const table = screen.getByRole('table')
    const rowHeaders = within(table).getAllByRole('rowheader').map((cell) => cell.textContent)
    expect(rowHeaders).toEqual(labels)
    const columnHeaders = within(table).getAllByRole('columnheader').map((cell) => cell.textContent)
    expect(columnHeaders).toEqual(['true ↓ · said →True genre', 'blusaid blues', 'jazsaid jazz', 'rocsaid rock', 'Songs'])

    const cells = screen.getAllByTestId('confusion-cell')
    expect(cells).toHaveLength(9)
    expect(cells.map((cell) => Number(cell.textContent))).toEqual(matrix.flat())
    const rockAsJazz = cells.find((cell) => cell.dataset.true === 'rock' && cell.dataset.predicted === 'jazz')!
    expect(rockAsJazz.dataset.count).toBe('5')
    expect(rockAsJazz.dataset.share).toBe('0.500')
    // The diagonal (right answers) is marked; a cell with most of its row is dark.
    expect(cells.filter((cell) => cell.classList.contains('diagonal')).map((cell) => cell.dataset.true)).toEqual(labels)
    expect(cells.filter((cell) => cell.classList.contains('dark')).map((cell) => cell.dataset.count)).toEqual(['8', '9'])
    expect(cells.filter((cell) => cell.classList.contains('zero'))).toHaveLength(3)
  })
})

describe('F1Bars', () => {
  it('shows each genre’s F1, best first, with its song count, and flags genres with few songs', () => {
    render(
      <F1Bars
        labels={['blues', 'jazz', 'rock']}
        perGenre={{
          blues: { precision: 0.5, recall: 0.5, f1: 0.5, support: 20 },
          jazz: { precision: 0.9, recall: 0.9, f1: 0.9, support: 17 },
          rock: { precision: 0.2, recall: 0.5, f1: 0.25, support: 2 },
        }}
      />,
    )
    const bars = screen.getAllByTestId('f1-bar')
    expect(bars.map((bar) => bar.dataset.genre)).toEqual(['jazz', 'blues', 'rock'])
    expect(bars.map((bar) => (bar.querySelector('.bar-fill') as HTMLElement).style.width)).toEqual(['90%', '50%', '25%'])
    expect(bars[0].textContent).toContain('0.90')
    expect(bars[0].textContent).toContain('17 songs')
    expect(bars[2].classList.contains('few')).toBe(true)
    expect(bars[2].textContent).toContain('too few')
  })
})

describe('the Model page with the shipped model', () => {
  it('shows what it was trained on, its accuracies, macro F1, F1 bars and the confusion matrix', async () => {
    mockApi({ 'GET /models/current': { body: shipped } })
    render(<ModelCard />)
    await screen.findByTestId('confusion-matrix')
    const metrics = shipped.metrics!

    expect(screen.getByTestId('model-name').textContent).toBe(`${shipped.name} ${shipped.version}`)
    expect(screen.getByTestId('model-training').textContent).toContain(`${shipped.training.dataset}, ${shipped.training.split} split`)
    expect(screen.getByTestId('model-accuracy').textContent).toBe(`${percent(metrics.song_accuracy)} of ${metrics.songs} songs`)
    expect(screen.getByTestId('model-window-accuracy').textContent).toContain(percent(metrics.window_accuracy))
    expect(screen.getByTestId('model-f1').textContent).toBe(metrics.song_macro_f1.toFixed(3))
    expect(screen.getByTestId('model-window-f1').textContent).toBe(metrics.window_macro_f1.toFixed(3))

    expect(screen.getAllByTestId('f1-bar')).toHaveLength(shipped.labels.length)
    const cells = screen.getAllByTestId('confusion-cell')
    expect(cells).toHaveLength(shipped.labels.length ** 2)
    expect(cells.map((cell) => Number(cell.dataset.count))).toEqual(metrics.confusion_matrix.flat())
  })
})

describe('navigation', () => {
  it('opens the Model page from the tabs, keeps it in the address, and Back returns', async () => {
    window.history.replaceState(null, '', '/')
    mockApi({ 'GET /models/current': { body: sampleModel() } })
    await act(async () => {
      render(<App />)
    })
    expect(screen.queryByTestId('model-card')).toBeNull()
    expect(screen.getByTestId('nav-classify').getAttribute('aria-current')).toBe('page')

    await act(async () => {
      fireEvent.click(screen.getByTestId('nav-model'))
    })
    expect(window.location.search).toBe('?view=model')
    expect(screen.getByTestId('nav-model').getAttribute('aria-current')).toBe('page')
    await screen.findByTestId('confusion-matrix')
    expect(screen.queryByTestId('url-input')).toBeNull()
    expect(document.title).toBe('Model · Genre classifier')

    await act(async () => {
      window.history.back()
      await new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }))
    })
    expect(screen.getByTestId('url-input')).toBeTruthy()
    expect(screen.queryByTestId('model-card')).toBeNull()
  })
})
