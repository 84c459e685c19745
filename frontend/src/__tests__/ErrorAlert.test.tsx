import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { ErrorAlert } from '../components/ErrorAlert.tsx'

const RAW =
  "[youtube] dQw4w9WgXcQ: Private video. Sign in if you've been granted access to this video. Use --cookies-from-browser or --cookies for the authentication."

// Whether a long message fits a phone's width is measured in Chromium: tests/e2e/test_browser.py.
describe('ErrorAlert', () => {
  it("shows the plain message and keeps the downloader's own words folded away", () => {
    render(
      <ErrorAlert
        error={{ code: 'download_failed', message: 'This video is private, so it cannot be fetched.', cause: 'private_video', detail: RAW }}
      />,
    )
    const alert = screen.getByRole('alert')
    expect(alert.dataset.code).toBe('download_failed')
    expect(alert.dataset.cause).toBe('private_video')
    expect(alert.querySelector('.alert-message')?.textContent).toBe('This video is private, so it cannot be fetched.')
    const details = alert.querySelector('details')
    expect(details?.open).toBe(false)
    expect(screen.getByTestId('error-detail').textContent).toBe(RAW)
  })

  it('shows no details when there are none', () => {
    render(<ErrorAlert error={{ code: 'too_short', message: 'The audio is shorter than one 3-second window.' }} />)
    expect(screen.getByRole('alert').querySelector('details')).toBeNull()
    expect(screen.getByRole('alert').dataset.cause).toBeUndefined()
  })
})
