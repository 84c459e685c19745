import type { Batch, BatchEntry, BatchState } from '../api.ts'

export function sampleEntry(index: number, overrides: Partial<BatchEntry> = {}): BatchEntry {
  return {
    index,
    url: `http://127.0.0.1:9000/song-${index}.ogg`,
    title: `Episode ${index}`,
    job_id: `job${index}`,
    status_url: `/jobs/job${index}`,
    state: 'queued',
    error: null,
    result: null,
    ...overrides,
  }
}

export function doneEntry(index: number, genre: string, probability: number): BatchEntry {
  return sampleEntry(index, {
    state: 'done',
    result: {
      top_genre: genre,
      top_probability: probability,
      song_probabilities: { [genre]: probability },
      duration_seconds: 30,
      model_version: 'm1',
    },
  })
}

export function failedEntry(index: number, code = 'download_failed', message = 'The server answered 404.'): BatchEntry {
  return sampleEntry(index, { state: 'failed', error: { code, message, cause: 'http_error' } })
}

export function sampleBatch(state: BatchState, entries: BatchEntry[], overrides: Partial<Batch> = {}): Batch {
  const count = (...states: string[]) => entries.filter((entry) => states.includes(entry.state)).length
  const genres: Record<string, number> = {}
  for (const entry of entries) if (entry.result) genres[entry.result.top_genre] = (genres[entry.result.top_genre] ?? 0) + 1
  return {
    id: 'batch123',
    state,
    url: 'http://127.0.0.1:9000/feed.xml',
    title: 'My playlist',
    created_at: '2026-12-01T10:00:00Z',
    updated_at: '2026-12-01T10:00:01Z',
    error: null,
    counts: {
      total: entries.length,
      queued: count('queued'),
      running: count('downloading', 'analyzing'),
      done: count('done'),
      failed: count('failed', 'expired'),
    },
    genres,
    entries,
    ...overrides,
  }
}
