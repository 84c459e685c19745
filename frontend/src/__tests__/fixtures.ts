import { vi, type Mock } from 'vitest'

import type {
  ClassificationResult,
  Job,
  JobState,
  ModelManifest,
  SongTags,
  TagReference,
  TagScore,
  WindowPrediction,
} from '../api.ts'

export const LABELS = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock']

export function sampleResult(overrides: Partial<ClassificationResult> = {}): ClassificationResult {
  const song_probabilities: Record<string, number> = {
    blues: 0.02,
    classical: 0.005,
    country: 0.08,
    disco: 0.01,
    hiphop: 0.015,
    jazz: 0.12,
    metal: 0.05,
    pop: 0.03,
    reggae: 0.0,
    rock: 0.67,
  }
  return {
    labels: LABELS,
    song_probabilities,
    top_genre: 'rock',
    top_probability: 0.67,
    duration_seconds: 205.4,
    window_seconds: 3,
    windows: Array.from({ length: 68 }, (_, index) => ({
      start_seconds: index * 3,
      end_seconds: (index + 1) * 3,
      probabilities: LABELS.map((genre) => song_probabilities[genre]),
    })),
    model_version: '2024.05.01-a1b2c3',
    ...overrides,
  }
}

/** One window's probabilities: `genre` at `p`, the rest shared out evenly. */
export function peaked(genre: string, p: number): number[] {
  return LABELS.map((label) => (label === genre ? p : (1 - p) / (LABELS.length - 1)))
}

/**
 * A screened song of 8 windows: 2 of silence at the start (all 0: not run through the model), rock,
 * rock, a window of speech (its genre scores say jazz, which must count for nothing), rock, then metal
 * twice; measured at -9.84 LUFS as received.
 */
export function screenedResult(overrides: Partial<ClassificationResult> = {}): ClassificationResult {
  const zero = LABELS.map(() => 0)
  const kinds: Array<Omit<WindowPrediction, 'start_seconds' | 'end_seconds'>> = [
    { probabilities: zero, kind: 'silence', music_score: null },
    { probabilities: zero, kind: 'silence', music_score: null },
    { probabilities: peaked('rock', 0.7), kind: 'music', music_score: 0.97 },
    { probabilities: peaked('rock', 0.6), kind: 'music', music_score: 0.95 },
    { probabilities: peaked('jazz', 0.9), kind: 'not_music', music_score: 0.12 },
    { probabilities: peaked('rock', 0.65), kind: 'music', music_score: 0.9 },
    { probabilities: peaked('metal', 0.8), kind: 'music', music_score: 0.99 },
    { probabilities: peaked('metal', 0.75), kind: 'music', music_score: 0.98 },
  ]
  const windows = kinds.map((window, index) => ({ start_seconds: index * 3, end_seconds: index * 3 + 3, ...window }))
  return sampleResult({
    duration_seconds: 24.5,
    windows,
    window_counts: { music: 5, silence: 2, not_music: 1 },
    loudness_lufs: -9.84,
    ...overrides,
  })
}

export const REFERENCE = '505 songs: the training songs (gtzan + 4q-mer), each its mean over its windows'

/**
 * The tags of an electronic-sounding song, strongest first, as the API sends them. Raw scores are chosen to
 * differ from every rank shown: 0.31 must never appear as "31%".
 */
export function sampleTags(overrides: Partial<SongTags> = {}): SongTags {
  const tags: TagScore[] = [
    { tag: 'electronic', label: 'electronic', group: 'style', score: 0.31, percentile: 98.7 },
    { tag: 'House', label: 'house', group: 'style', score: 0.0412, percentile: 97.6 },
    { tag: '80s', label: '1980s', group: 'era', score: 0.0623, percentile: 95.2 },
    { tag: 'Mellow', label: 'mellow', group: 'mood', score: 0.1456, percentile: 93.4 },
    { tag: 'female vocalists', label: 'female vocals', group: 'voice_instrument', score: 0.2219, percentile: 91.0 },
    { tag: 'dance', label: 'dance', group: 'style', score: 0.0877, percentile: 90.3 },
  ]
  return {
    source: "musicnn's Million Song Dataset output (the 50 most frequent last.fm tags)",
    reference: REFERENCE,
    tags,
    outside_known_genres: {
      outside: false,
      styles: ['electronic', 'house'],
      tags: ['electronic', 'House'],
      message: 'It has something of electronic and house, but the genre answer is confident.',
    },
    ...overrides,
  }
}

/** {@link sampleTags} of a song the model is unsure about: probably none of the ten genres. */
export function outsideTags(): SongTags {
  return sampleTags({
    outside_known_genres: {
      outside: true,
      styles: ['electronic', 'house'],
      tags: ['electronic', 'House'],
      message:
        'This song is probably none of the ten genres the model knows: it sounds like electronic and house, ' +
        'which the ten genres do not cover, and the genre answer is unsure.',
    },
  })
}

/** A manifest's tag reference: 3 tags, 15 levels (the real one has 50). */
export function sampleTagReference(): TagReference {
  const levels = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97, 98, 99, 100]
  const ramp = (top: number) => levels.map((level) => Number(((level / 100) * top).toFixed(4)))
  return {
    songs: 505,
    description: 'the training songs (gtzan + 4q-mer), each its mean over its windows',
    levels,
    quantiles: { rock: ramp(0.9), electronic: ramp(0.4), House: ramp(0.05) },
  }
}

export function sampleJob(state: JobState, overrides: Partial<Job> = {}): Job {
  return {
    id: 'job123',
    state,
    source: { kind: 'url', url: 'https://example.com/song.mp3', filename: null },
    created_at: '2024-05-01T10:00:00Z',
    updated_at: '2024-05-01T10:00:05Z',
    error: null,
    result: state === 'done' ? sampleResult() : null,
    ...overrides,
  }
}

export function sampleModel(overrides: Partial<ModelManifest> = {}): ModelManifest {
  return {
    name: 'genre-cnn',
    version: '2024.05.01-a1b2c3',
    created_at: '2024-05-01T09:00:00Z',
    labels: LABELS,
    training: {
      dataset: 'gtzan',
      split: 'gtzan-filtered',
      songs_per_split: { train: 443, valid: 197, test: 290 },
      trained_on: ['train'],
    },
    metrics: {
      split: 'valid',
      songs: 197,
      windows: 1970,
      song_accuracy: 0.8122,
      window_accuracy: 0.71,
      song_balanced_accuracy: 0.8,
      song_macro_f1: 0.7931,
      window_macro_f1: 0.69,
      per_genre: Object.fromEntries(LABELS.map((genre) => [genre, { precision: 0.8, recall: 0.8, f1: 0.8, support: 20 }])),
      confusion_matrix: LABELS.map((_, row) => LABELS.map((_, column) => (row === column ? 16 : 0))),
    },
    ...overrides,
  }
}

/** What a route answers: a status and a JSON body (or raw text). */
export interface Reply {
  status?: number
  body?: unknown
  text?: string
}

export type Route = (init: RequestInit | undefined, url: string) => Reply | Promise<Reply>

/**
 * Replaces `fetch` with a mock answering by "METHOD /path". Unknown routes answer 404 like the API.
 * Answers are minimal Response-likes so nothing depends on real I/O (fake timers stay in control).
 */
export function mockApi(routes: Record<string, Route | Reply>): Mock<typeof fetch> {
  const mock = vi.fn<typeof fetch>(async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url
    const key = `${(init?.method ?? 'GET').toUpperCase()} ${url}`
    const route = routes[key]
    const reply: Reply =
      route === undefined
        ? { status: 404, body: { error: { code: 'not_found', message: `No route ${key}` } } }
        : typeof route === 'function'
          ? await route(init, url)
          : route
    const status = reply.status ?? 200
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
    return { ok: status >= 200 && status < 300, status, text: async () => text } as unknown as Response
  })
  vi.stubGlobal('fetch', mock)
  return mock
}

/** The paths fetched, e.g. ["GET /models/current", "POST /classify"]. */
export function calls(mock: Mock<typeof fetch>): string[] {
  return mock.mock.calls.map(([input, init]) => `${(init?.method ?? 'GET').toUpperCase()} ${String(input)}`)
}
