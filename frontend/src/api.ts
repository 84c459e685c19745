/**
 * The classification service's HTTP API: the bodies it sends and takes, and one function per call.
 *
 * Every call goes to the page's own origin (the API server serves the built page too; `npm run dev`
 * proxies these paths). A non-2xx answer throws an {@link ApiError} carrying the server's
 * `{"error": {"code", "message"}}`; a request that never got an answer throws one with status 0.
 */

// ---------------------------------------------------------------------------------------------
// Bodies

export type JobState = 'queued' | 'downloading' | 'analyzing' | 'done' | 'failed'

export const FINAL_STATES: ReadonlySet<JobState> = new Set<JobState>(['done', 'failed'])

export interface ErrorDetail {
  /** Machine-readable and stable, e.g. `url_not_allowed`, `download_failed`, `job_not_found`. */
  code: string
  /** What went wrong, in words, for people. */
  message: string
}

/** Why a job failed: an {@link ErrorDetail} with, where the worker knows more, the kind of failure and the failing tool's words. */
export interface JobError extends ErrorDetail {
  /** For `download_failed`: `no_network`, `video_unavailable`, `private_video`, `age_restricted`, `region_blocked`, `bot_check`, `site_changed`, ... */
  cause?: string | null
  /** The failing tool's own words (e.g. yt-dlp's error), for operators; `message` says it plainly. */
  detail?: string | null
}

/** The body of every error response. */
export interface ErrorBody {
  error: ErrorDetail
}

/** 202 answer of `POST /classify` and `POST /classify/upload`. */
export interface JobAccepted {
  job_id: string
  status_url: string
  state: JobState
}

/** 202 answer of `POST /classify` for a playlist: a batch of songs, one job each. */
export interface BatchAccepted {
  batch_id: string
  status_url: string
  state: BatchState
}

export interface ClassifyUrlRequest {
  url: string
  /** `true`: the link is a playlist (a batch of songs); unset: the server decides from the link. */
  playlist?: boolean
}

export type BatchState = 'expanding' | 'running' | 'done' | 'failed' | 'expired'

export const FINAL_BATCH_STATES: ReadonlySet<BatchState> = new Set<BatchState>(['done', 'failed', 'expired'])

/** The song-level part of a finished entry's result; its job has the whole of it. */
export interface EntryResult {
  top_genre: string
  top_probability: number
  song_probabilities: Record<string, number>
  duration_seconds: number
  model_version: string
}

export interface BatchEntry {
  /** Position in the playlist, from 1. */
  index: number
  url: string | null
  title: string | null
  /** Null for an entry refused before it got a job (see `error`). */
  job_id: string | null
  status_url: string | null
  state: JobState | 'expired'
  error: JobError | null
  result: EntryResult | null
}

export interface BatchCounts {
  total: number
  queued: number
  running: number
  done: number
  failed: number
}

/** `GET /batches/{id}`. */
export interface Batch {
  id: string
  state: BatchState
  url: string
  title: string | null
  created_at: string
  updated_at: string
  error: JobError | null
  counts: BatchCounts
  /** How many finished entries have each top genre, most first. */
  genres: Record<string, number>
  entries: BatchEntry[]
}

export interface JobSource {
  kind: 'url' | 'upload'
  url: string | null
  filename: string | null
}

/**
 * What a window holds. `music` windows vote for the song's genre; the others are left out:
 * `silence` (far below the song's loudness: digital silence, room tone, a fade's tail) and
 * `not_music` (the model's music detector hears speech, applause or noise).
 */
export type WindowKind = 'music' | 'silence' | 'not_music'

export interface WindowPrediction {
  start_seconds: number
  end_seconds: number
  /** One probability per label, in the order of {@link ClassificationResult.labels}; all 0 for silence (not run through the model). */
  probabilities: number[]
  /** Results from before windows were screened lack it: every window voted. */
  kind?: WindowKind
  /** The model's probability (0-1) that the window is music; null or absent for models without a music detector. */
  music_score?: number | null
  /**
   * The window's raw tag scores (sigmoids, not probabilities), in the order of {@link ClassificationResult.tag_names};
   * only with `GET /jobs/{id}?detail=windows`, null or absent otherwise and for models without tags.
   */
  tags?: number[] | null
}

/** A tag's group: what the page heads its chips with. */
export type TagGroup = 'style' | 'era' | 'mood' | 'voice_instrument'

/** One of the song's tags: where it ranks against the model's reference songs. */
export interface TagScore {
  /** The tag as the Million Song Dataset writes it, e.g. `House`, `80s`. */
  tag: string
  /** The tag for people, e.g. `house`, `1980s`. */
  label: string
  group: TagGroup
  /** The network's mean sigmoid over the music windows: a raw score, NOT a probability; never show it as one. */
  score: number
  /** Share (0-100) of the reference songs this song outscores on the tag: what the page shows. */
  percentile: number
}

/** Whether the song probably belongs to none of the ten genres. */
export interface OutsideKnownGenres {
  outside: boolean
  /** The styles outside the ten the song ranks high on, strongest first, e.g. `electronic`, `house`. */
  styles: string[]
  /** The tags behind `styles`, as the MSD writes them (match {@link TagScore.tag}). */
  tags: string[]
  /** What to tell a person. */
  message: string
}

/** What the song sounds like beyond its genre: musicnn's Million Song Dataset tags, ranked against reference songs. */
export interface SongTags {
  /** Where the tags come from. */
  source: string
  /** The songs a tag's percentile is measured against, e.g. "505 songs: the training songs (...)". */
  reference: string
  /** Only the tags the song ranks at or above the 90th percentile on, strongest first. */
  tags: TagScore[]
  outside_known_genres: OutsideKnownGenres
}

/** How many windows voted for the song's genre, and how many were left out and why. */
export interface WindowCounts {
  music: number
  silence: number
  not_music: number
}

export interface ClassificationResult {
  labels: string[]
  /** Song-level probability per genre: its windows' combined as {@link ClassificationResult.song_aggregation} says. */
  song_probabilities: Record<string, number>
  /** `mean_probability` (plain mean) or `mean_log_probability` (normalised geometric mean); older results lack it. */
  song_aggregation?: 'mean_probability' | 'mean_log_probability'
  top_genre: string
  top_probability: number
  duration_seconds: number
  window_seconds: number
  windows: WindowPrediction[]
  model_version: string
  /** Null or absent in results from models that did not screen their windows. */
  window_counts?: WindowCounts | null
  /** The song's integrated loudness as received (ITU-R BS.1770, LUFS); null when the model does not normalise it. */
  loudness_lufs?: number | null
  /** The song's tags; null (or absent, in older results) when the model has no tag output, which says nothing about the song. */
  tags?: SongTags | null
  /** The order of each window's `tags`; only with `?detail=windows`, null for models without tags. */
  tag_names?: string[] | null
}

/** `GET /jobs/{id}`. */
export interface Job {
  id: string
  state: JobState
  source: JobSource
  created_at: string
  updated_at: string
  error: JobError | null
  result: ClassificationResult | null
}

export interface GenreScores {
  precision: number
  recall: number
  f1: number
  support: number
}

export interface EvaluationMetrics {
  split: string
  songs: number
  windows: number
  song_accuracy: number
  window_accuracy: number
  song_balanced_accuracy: number
  song_macro_f1: number
  window_macro_f1: number
  per_genre: Record<string, GenreScores>
  /** Song-level; rows are true labels, columns predictions, both in the order of `labels`. */
  confusion_matrix: number[][]
  /** `train-only fit`: figures of the same recipe trained without this split; the served weights were refit on it. */
  measured_on?: 'these weights' | 'train-only fit'
}

export interface TrainingData {
  dataset: string
  split: string
  songs_per_split: Record<string, number>
  windows_per_split?: Record<string, number>
  trained_on: string[]
  skipped_files?: string[]
  epochs?: number
  seed?: number
  training_seconds?: number
  [extra: string]: unknown
}

/** What is done to a song before the model hears it; every field off (null/false) for models trained without it. */
export interface Preprocessing {
  /** Every song is scaled to this integrated loudness (LUFS) first. */
  loudness_target_lufs?: number | null
  /** After leading digital silence, the windows are laid out from the music's first sample. */
  align_windows_to_music?: boolean
  /** Windows this many LU below the song's loudness are silence and do not vote. */
  silence_below_song_lu?: number | null
}

/** The named outputs of a model with more than one. */
export interface ModelOutputs {
  genre: string
  /** The music detector's output; null when the model has none. */
  music?: string | null
  /** Windows whose music score is under this are left out as `not_music`. */
  music_threshold?: number
  /** The output of each window's tag scores; null or absent when the model gives no tags. */
  tags?: string | null
  /** The tags of the `tags` output, in its order (musicnn: the MSD's 50). */
  tag_names?: string[] | null
  /** Where each tag's song scores lie on the model's reference songs: what a song's tag is ranked against. */
  tag_reference?: TagReference | null
}

/** Each tag's song scores on the songs the model was trained with, at a few percentiles. */
export interface TagReference {
  /** Songs the percentiles were measured on. */
  songs: number
  /** Which songs, and how a song's score was taken. */
  description: string
  /** The percentiles (0-100) each tag's `quantiles` are at. */
  levels: number[]
  /** Per tag, its song score at each of `levels` (large; the page does not show it). */
  quantiles: Record<string, number[]>
}

/** `GET /models/current`: the manifest of the model the service runs. */
export interface ModelManifest {
  schema_version?: number
  name: string
  version: string
  created_at: string
  runtime?: string
  model_file?: string
  model_bytes?: number
  parameters?: number
  labels: string[]
  feature_params?: Record<string, unknown>
  input_shape?: number[]
  /** How the worker combines a song's window probabilities; manifests from before it was recorded: plain mean. */
  song_aggregation?: 'mean_probability' | 'mean_log_probability'
  /** Absent in manifests from before songs were prepared (the level as decoded, every window votes). */
  preprocessing?: Preprocessing | null
  /** Null for a model whose one output is the genre probabilities. */
  outputs?: ModelOutputs | null
  training: TrainingData
  metrics: EvaluationMetrics | null
  [extra: string]: unknown
}

// ---------------------------------------------------------------------------------------------
// Errors

export class ApiError extends Error {
  /** Machine-readable code from the server, or one of ours: `network_error`, `bad_response`, `http_<status>`. */
  readonly code: string
  /** HTTP status; 0 when no answer came. */
  readonly status: number

  constructor(code: string, message: string, status: number) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }

  /** Worth asking again: no answer, or the server (or a proxy in front of it) failed or was busy. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as ErrorDetail).code === 'string' &&
    typeof (error as ErrorDetail).message === 'string'
  )
}

const STATUS_MESSAGES: Record<number, string> = {
  404: 'Not found.',
  413: 'The file is too large for the server.',
  429: 'Too many requests; try again in a moment.',
  502: 'The service is not reachable right now (bad gateway).',
  503: 'The service is unavailable right now; try again in a moment.',
  504: 'The service took too long to answer.',
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError('network_error', 'Could not reach the service. Check your connection and try again.', 0)
  }

  let body: unknown = undefined
  const text = await response.text().catch(() => '')
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
  }

  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(body.error.code, body.error.message, response.status)
    const message = STATUS_MESSAGES[response.status] ?? `The service answered with an error (HTTP ${response.status}).`
    throw new ApiError(`http_${response.status}`, message, response.status)
  }
  if (body === undefined) {
    throw new ApiError('bad_response', 'The service sent an answer this page cannot read.', response.status)
  }
  return body as T
}

// ---------------------------------------------------------------------------------------------
// Calls

/** Whether `POST /classify` answered with a batch (a playlist) rather than a job. */
export function isBatchAccepted(accepted: JobAccepted | BatchAccepted): accepted is BatchAccepted {
  return 'batch_id' in accepted
}

/** `POST /classify`: classify the audio behind a link, or (`playlist`) every song of a playlist. */
export function classifyUrl(url: string, signal?: AbortSignal, playlist?: boolean): Promise<JobAccepted | BatchAccepted> {
  const payload: ClassifyUrlRequest = playlist === undefined ? { url } : { url, playlist }
  return request<JobAccepted | BatchAccepted>('/classify', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
    signal,
  })
}

/** `POST /classify/upload`: classify an audio file, sent as multipart field `file`. */
export function classifyUpload(file: File, signal?: AbortSignal): Promise<JobAccepted> {
  const form = new FormData()
  form.append('file', file, file.name)
  // No Content-Type: the browser sets multipart/form-data with its boundary.
  return request<JobAccepted>('/classify/upload', { method: 'POST', body: form, signal })
}

/** `GET /jobs/{id}`. */
export function getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
  return request<Job>(`/jobs/${encodeURIComponent(jobId)}`, { signal, cache: 'no-store' })
}

/** `GET /batches/{id}`. */
export function getBatch(batchId: string, signal?: AbortSignal): Promise<Batch> {
  return request<Batch>(`/batches/${encodeURIComponent(batchId)}`, { signal, cache: 'no-store' })
}

/** `GET /models/current`. */
export function getCurrentModel(signal?: AbortSignal): Promise<ModelManifest> {
  return request<ModelManifest>('/models/current', { signal })
}
