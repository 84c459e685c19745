/** Checks done in the browser before anything is sent; each failure is an error the page shows inline. */

import type { ErrorDetail } from './api.ts'

/** The largest upload the page sends (50 MB). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorDetail }

/** The longest link the API takes. */
export const MAX_URL_LENGTH = 2048

/** A link must be an absolute http(s) URL with a host, at most {@link MAX_URL_LENGTH} characters. Returns it trimmed. */
export function checkUrl(input: string): Checked<string> {
  const value = input.trim()
  if (!value) {
    return { ok: false, error: { code: 'empty_input', message: 'Enter a link to a song first.' } }
  }
  if (value.length > MAX_URL_LENGTH) {
    return { ok: false, error: { code: 'invalid_url', message: `That link is too long (over ${MAX_URL_LENGTH} characters).` } }
  }
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    return {
      ok: false,
      error: { code: 'invalid_url', message: 'That is not a web link. Enter a full address starting with http:// or https://.' },
    }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return {
      ok: false,
      error: { code: 'invalid_url', message: 'Only http:// and https:// links can be classified.' },
    }
  }
  if (!parsed.hostname) {
    return { ok: false, error: { code: 'invalid_url', message: 'That link has no host name.' } }
  }
  return { ok: true, value }
}

function looksLikeAudio(type: string): boolean {
  // Browsers leave the type empty for extensions they do not know (e.g. .opus on some systems),
  // and audio often comes in video or Ogg containers: let the server decide those.
  return type === '' || type.startsWith('audio/') || type.startsWith('video/') || type === 'application/ogg'
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

/** A file must be non-empty, at most {@link MAX_UPLOAD_BYTES}, and not obviously something other than audio. */
export function checkFile(file: File | null | undefined): Checked<File> {
  if (!file) {
    return { ok: false, error: { code: 'empty_input', message: 'Choose an audio file first.' } }
  }
  if (file.size === 0) {
    return { ok: false, error: { code: 'empty_file', message: `“${file.name}” is empty.` } }
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    return {
      ok: false,
      error: {
        code: 'file_too_large',
        message: `“${file.name}” is ${formatBytes(file.size)}; files up to ${formatBytes(MAX_UPLOAD_BYTES)} can be uploaded.`,
      },
    }
  }
  if (!looksLikeAudio(file.type)) {
    return {
      ok: false,
      error: { code: 'not_audio', message: `“${file.name}” does not look like an audio file (${file.type}).` },
    }
  }
  return { ok: true, value: file }
}
