/** The results this browser has seen, newest first, kept in localStorage so they survive a reload. */

import type { Job } from './api.ts'

export const RECENT_KEY = 'genre-classifier:recent-results'
export const RECENT_LIMIT = 10

export interface RecentResult {
  jobId: string
  topGenre: string
  topProbability: number
  /** What was classified, in words: a file name or a link. */
  source: string
  /** When the job finished (ISO 8601). */
  finishedAt: string
}

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    // Storage can be switched off (privacy settings); the list is then simply empty.
    return null
  }
}

function isRecentResult(value: unknown): value is RecentResult {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    typeof entry.jobId === 'string' &&
    typeof entry.topGenre === 'string' &&
    typeof entry.topProbability === 'number' &&
    typeof entry.source === 'string' &&
    typeof entry.finishedAt === 'string'
  )
}

/** The stored list; anything unreadable is dropped. */
export function loadRecent(): RecentResult[] {
  const raw = storage()?.getItem(RECENT_KEY)
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(raw)
    return Array.isArray(parsed) ? parsed.filter(isRecentResult).slice(0, RECENT_LIMIT) : []
  } catch {
    return []
  }
}

function save(entries: RecentResult[]): void {
  try {
    storage()?.setItem(RECENT_KEY, JSON.stringify(entries))
  } catch {
    // Full or switched off: the list just is not kept.
  }
}

/**
 * Adds a result at the top of the list, or updates it where it already is (opening an old result
 * again does not reorder the list); keeps at most {@link RECENT_LIMIT}. Returns the new list.
 */
export function rememberResult(entry: RecentResult): RecentResult[] {
  const entries = loadRecent()
  const index = entries.findIndex((existing) => existing.jobId === entry.jobId)
  const next = index >= 0 ? entries.map((existing, i) => (i === index ? entry : existing)) : [entry, ...entries].slice(0, RECENT_LIMIT)
  save(next)
  return next
}

export function forgetAll(): RecentResult[] {
  save([])
  return []
}

/** A short name for what a job classified: the file name, or the link without its scheme. */
export function sourceName(job: Pick<Job, 'source'>): string {
  if (job.source.kind === 'upload') return job.source.filename ?? 'Uploaded file'
  const link = job.source.url ?? ''
  try {
    const url = new URL(link)
    const rest = `${url.pathname}${url.search}`
    return `${url.host.replace(/^www\./, '')}${rest === '/' ? '' : rest}`
  } catch {
    return link || 'Link'
  }
}

/** The entry of a finished job, or null when it has no result. */
export function recentEntryOf(job: Job): RecentResult | null {
  if (job.state !== 'done' || job.result === null) return null
  return {
    jobId: job.id,
    topGenre: job.result.top_genre,
    topProbability: job.result.top_probability,
    source: sourceName(job),
    finishedAt: job.updated_at,
  }
}
