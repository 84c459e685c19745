import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'

import App from '../App.tsx'
import { ApiError, classifyUpload, classifyUrl, getJob } from '../api.ts'
import { calls, mockApi, sampleJob, sampleModel } from './fixtures.ts'

describe('api.ts', () => {
  it('throws an ApiError with the server code, message and status', async () => {
    mockApi({
      'POST /classify': {
        status: 400,
        body: { error: { code: 'url_not_allowed', message: 'Links to private addresses are not allowed.' } },
      },
    })
    const error = await classifyUrl('http://10.0.0.1/a.mp3').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'url_not_allowed', status: 400, message: 'Links to private addresses are not allowed.' })
  })

  it('turns an answer without an error body, and no answer at all, into ApiErrors', async () => {
    mockApi({ 'GET /jobs/x': { status: 502, text: '<html>Bad Gateway</html>' } })
    await expect(getJob('x')).rejects.toMatchObject({ code: 'http_502', status: 502 })

    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    await expect(getJob('x')).rejects.toMatchObject({ code: 'network_error', status: 0 })
  })

  it('uploads the file as multipart field "file"', async () => {
    const fetchMock = mockApi({
      'POST /classify/upload': { status: 202, body: { job_id: 'j1', status_url: '/jobs/j1', state: 'queued' } },
    })
    const file = new File(['abc'], 'song.wav', { type: 'audio/wav' })
    await expect(classifyUpload(file)).resolves.toMatchObject({ job_id: 'j1' })
    const body = fetchMock.mock.calls[0][1]?.body
    expect(body).toBeInstanceOf(FormData)
    expect(((body as FormData).get('file') as File).name).toBe('song.wav')
  })
})

describe('API errors in the page', () => {
  it('shows the message of a refused link and keeps the code', async () => {
    const fetchMock = mockApi({
      'GET /models/current': { body: sampleModel() },
      'POST /classify': {
        status: 400,
        body: { error: { code: 'url_not_allowed', message: 'Links to private addresses are not allowed.' } },
      },
    })
    await act(async () => {
      render(<App />)
    })

    fireEvent.change(screen.getByTestId('url-input'), { target: { value: 'http://192.168.1.10/song.mp3' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('submit-url'))
    })

    const error = await screen.findByRole('alert')
    expect(error.dataset.testid).toBe('error')
    expect(error.dataset.code).toBe('url_not_allowed')
    expect(error.textContent).toContain('Links to private addresses are not allowed.')
    expect(window.location.search).toBe('')
    expect(screen.queryByTestId('job-state')).toBeNull()
    expect(calls(fetchMock)).toContain('POST /classify')
  })

  it('shows the server message when an upload is refused', async () => {
    mockApi({
      'GET /models/current': { body: sampleModel() },
      'POST /classify/upload': {
        status: 413,
        body: { error: { code: 'file_too_large', message: 'Uploads are limited to 50 MB.' } },
      },
    })
    await act(async () => {
      render(<App />)
    })
    await act(async () => {
      fireEvent.change(screen.getByTestId('file-input'), {
        target: { files: [new File(['abc'], 'song.mp3', { type: 'audio/mpeg' })] },
      })
    })
    const error = await screen.findByTestId('error')
    expect(error.dataset.code).toBe('file_too_large')
    expect(error.textContent).toContain('Uploads are limited to 50 MB.')
  })

  it('explains a job that found no music: a title, the server’s message and what to try', async () => {
    window.history.replaceState(null, '', '/?job=job123')
    const message = 'No music was found: every part of the audio sounds like speech, applause or noise, so there is no genre to tell.'
    mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/job123': { body: sampleJob('failed', { error: { code: 'not_music', message } }) },
    })
    await act(async () => {
      render(<App />)
    })
    const error = await screen.findByRole('alert')
    expect(error.dataset.code).toBe('not_music')
    expect(error.querySelector('.alert-title')?.textContent).toBe('No music found')
    expect(error.querySelector('.alert-message')?.textContent).toBe(message)
    expect(error.querySelector('.alert-hint')?.textContent).toContain('Try a song')
    expect(screen.queryByTestId('result')).toBeNull()
  })

  it('keeps other failures as the server words them, without a title', async () => {
    window.history.replaceState(null, '', '/?job=job123')
    mockApi({
      'GET /models/current': { body: sampleModel() },
      'GET /jobs/job123': { body: sampleJob('failed', { error: { code: 'too_short', message: 'Too short.' } }) },
    })
    await act(async () => {
      render(<App />)
    })
    const error = await screen.findByRole('alert')
    expect(error.querySelector('.alert-title')).toBeNull()
    expect(error.querySelector('.alert-hint')).toBeNull()
    expect(error.textContent).toContain('Too short.')
  })
})
