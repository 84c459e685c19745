import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import App from '../App.tsx'
import { checkFile, checkUrl, MAX_UPLOAD_BYTES } from '../validation.ts'
import { calls, mockApi, sampleModel } from './fixtures.ts'

async function renderApp() {
  await act(async () => {
    render(<App />)
  })
}

function bigFile(bytes: number, name = 'song.mp3', type = 'audio/mpeg'): File {
  const file = new File(['x'], name, { type })
  Object.defineProperty(file, 'size', { value: bytes })
  return file
}

describe('checkUrl / checkFile', () => {
  it('accepts http(s) links and rejects the rest', () => {
    expect(checkUrl('  https://example.com/a.mp3 ')).toEqual({ ok: true, value: 'https://example.com/a.mp3' })
    expect(checkUrl('http://example.com').ok).toBe(true)
    for (const input of ['', '   ', 'example.com/song.mp3', 'ftp://example.com/a.mp3', 'javascript:alert(1)', 'not a url']) {
      expect(checkUrl(input).ok, input).toBe(false)
    }
  })

  it('rejects missing, empty, too large and non-audio files', () => {
    expect(checkFile(null).ok).toBe(false)
    expect(checkFile(bigFile(0)).ok).toBe(false)
    expect(checkFile(bigFile(MAX_UPLOAD_BYTES)).ok).toBe(true)
    const tooLarge = checkFile(bigFile(MAX_UPLOAD_BYTES + 1))
    expect(tooLarge.ok === false && tooLarge.error.code).toBe('file_too_large')
    expect(checkFile(bigFile(10, 'notes.txt', 'text/plain')).ok).toBe(false)
    expect(checkFile(bigFile(10, 'song.opus', '')).ok).toBe(true)
  })
})

describe('client-side validation in the page', () => {
  it('rejects an empty link without calling the API', async () => {
    const fetchMock = mockApi({ 'GET /models/current': { body: sampleModel() } })
    await renderApp()

    fireEvent.click(screen.getByTestId('submit-url'))

    const error = screen.getByRole('alert')
    expect(error.dataset.testid).toBe('error')
    expect(error.dataset.code).toBe('empty_input')
    expect(error.textContent).toContain('Enter a link')
    expect(screen.getByTestId('url-input').getAttribute('aria-invalid')).toBe('true')
    expect(calls(fetchMock)).toEqual([])
  })

  it('rejects text that is not an http(s) link without calling the API', async () => {
    const fetchMock = mockApi({ 'GET /models/current': { body: sampleModel() } })
    await renderApp()

    for (const input of ['just some words', 'ftp://example.com/song.mp3']) {
      fireEvent.change(screen.getByTestId('url-input'), { target: { value: input } })
      fireEvent.submit(screen.getByTestId('url-input').closest('form')!)
      expect(screen.getByTestId('error').dataset.code).toBe('invalid_url')
    }
    expect(calls(fetchMock).filter((call) => call.includes('/classify'))).toEqual([])
  })

  it('rejects a file over 50 MB without uploading it', async () => {
    const fetchMock = mockApi({ 'GET /models/current': { body: sampleModel() } })
    await renderApp()

    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [bigFile(60 * 1024 * 1024)] } })

    expect(screen.getByTestId('error').dataset.code).toBe('file_too_large')
    expect(screen.getByTestId('error').textContent).toContain('60 MB')
    expect(calls(fetchMock)).toEqual([])
  })
})
