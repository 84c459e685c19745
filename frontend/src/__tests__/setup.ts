import { cleanup } from '@testing-library/react'
import { afterEach, vi } from 'vitest'

// jsdom does no layout, so it cannot scroll.
window.scrollTo = () => undefined

afterEach(() => {
  cleanup()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  window.history.replaceState(null, '', '/')
  window.localStorage.clear()
})
