/** A batch's table as files to download: CSV for spreadsheets, JSON for programs. */

import type { Batch } from './api.ts'

export const CSV_COLUMNS = [
  'index',
  'title',
  'url',
  'state',
  'top_genre',
  'confidence',
  'error_code',
  'error_message',
  'job_id',
] as const

function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value)
  // Quoted when needed; a leading = + - @ is defused so a spreadsheet never runs a title as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** One row per entry, in playlist order, with a header; confidence is the top genre's probability (0-1). */
export function batchCsv(batch: Batch): string {
  const rows = batch.entries.map((entry) =>
    [
      entry.index,
      entry.title,
      entry.url,
      entry.state,
      entry.result?.top_genre,
      entry.result ? entry.result.top_probability.toFixed(4) : null,
      entry.error?.code,
      entry.error?.message,
      entry.job_id,
    ].map(csvField),
  )
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\r\n') + '\r\n'
}

/** The batch as the API answered it. */
export function batchJson(batch: Batch): string {
  return JSON.stringify(batch, null, 2) + '\n'
}

/** A file name for the batch's downloads: `playlist-<id>.csv`. */
export function batchFileName(batch: Batch, extension: 'csv' | 'json'): string {
  return `playlist-${batch.id.slice(0, 12)}.${extension}`
}
