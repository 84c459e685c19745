/** The song's timeline: per-window genre probabilities turned into what the timeline views need. */

import type { ClassificationResult, WindowPrediction } from './api.ts'
import { votes } from './windowKinds.ts'

/** One point of the stacked area: a moment of the song and each genre's probability there. */
export interface TimelinePoint {
  seconds: number
  probabilities: Record<string, number>
}

/** A stretch of consecutive windows with the same most likely genre. */
export interface GenreSection {
  genre: string
  startSeconds: number
  endSeconds: number
  windows: number
}

/** A window's genre probabilities for the stacked area: none for a left-out window, which is drawn as a gap. */
function probabilitiesOf(labels: readonly string[], window: WindowPrediction): Record<string, number> {
  const voted = votes(window)
  return Object.fromEntries(labels.map((genre, index) => [genre, voted ? (window.probabilities[index] ?? 0) : 0]))
}

/** Where the timeline ends: the song's end, or the last window's end if that is later. */
export function timelineEnd(result: ClassificationResult): number {
  const lastEnd = result.windows.at(-1)?.end_seconds ?? 0
  return Math.max(result.duration_seconds, lastEnd)
}

/**
 * The points the stacked area goes through: each window's probabilities at its middle, and the
 * first and last windows' held out to the edges, so the area covers the whole timeline. Drawn as
 * steps that change halfway between points, each window's probabilities cover exactly its span.
 * Windows that did not vote are all 0: they are not coloured as a genre.
 */
export function timelinePoints(result: ClassificationResult): TimelinePoint[] {
  const { labels, windows } = result
  if (windows.length === 0) return []
  const middles = windows.map((window) => ({
    seconds: (window.start_seconds + window.end_seconds) / 2,
    probabilities: probabilitiesOf(labels, window),
  }))
  const first = { seconds: windows[0].start_seconds, probabilities: middles[0].probabilities }
  const last = { seconds: timelineEnd(result), probabilities: middles[middles.length - 1].probabilities }
  return [first, ...middles, last]
}

/** The most likely genre of a window and its probability (ties: the first in label order). */
export function windowTopGenre(labels: readonly string[], window: WindowPrediction): [string, number] {
  let best = 0
  window.probabilities.forEach((p, index) => {
    if (p > window.probabilities[best]) best = index
  })
  return [labels[best] ?? '?', window.probabilities[best] ?? 0]
}

/** A window's genres, most likely first. */
export function windowRanking(labels: readonly string[], window: WindowPrediction): Array<[string, number]> {
  return labels
    .map((genre, index): [string, number, number] => [genre, window.probabilities[index] ?? 0, index])
    .sort((a, b) => b[1] - a[1] || a[2] - b[2])
    .map(([genre, p]) => [genre, p])
}

function appendSection(sections: GenreSection[], next: GenreSection): void {
  const current = sections.at(-1)
  if (current && current.genre === next.genre) {
    current.endSeconds = next.endSeconds
    current.windows += next.windows
  } else {
    sections.push({ ...next })
  }
}

/**
 * The song cut where its most likely genre changes. With `minWindows` > 1, a stretch shorter than
 * that (a blip) joins the stretch before it (the first one joins the next), so the summary shows
 * the song's larger turns; the per-window view keeps every blip.
 *
 * Only windows that voted make sections: a left-out window has no genre worth following (silence
 * is all 0, and a speech window's "genre" is noise). A pause between two stretches of the same
 * genre does not cut it; left-out windows at either end, or between two genres, belong to no section.
 */
export function genreSections(result: ClassificationResult, minWindows = 1): GenreSection[] {
  const runs: GenreSection[] = []
  for (const window of result.windows) {
    if (!votes(window)) continue
    const [genre] = windowTopGenre(result.labels, window)
    appendSection(runs, { genre, startSeconds: window.start_seconds, endSeconds: window.end_seconds, windows: 1 })
  }
  if (minWindows <= 1 || runs.length <= 1) return runs

  const sections: GenreSection[] = []
  runs.forEach((run, index) => {
    const blip = run.windows < minWindows
    const previous = sections.at(-1)
    if (blip && previous) appendSection(sections, { ...run, genre: previous.genre })
    else if (blip && index + 1 < runs.length) appendSection(sections, { ...run, genre: runs[index + 1].genre })
    else appendSection(sections, run)
  })
  return sections
}

/** The index of the window playing at `seconds` (the last one past the end), or null without windows. */
export function windowAt(windows: readonly WindowPrediction[], seconds: number): number | null {
  if (windows.length === 0) return null
  const index = windows.findIndex((window) => seconds < window.end_seconds)
  return index < 0 ? windows.length - 1 : index
}

/** Round tick steps of a time axis, in seconds. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600]

/** Positions (seconds) for time-axis ticks at a round step, at most `maxTicks` + 1 of them from 0 to `end`. */
export function timeTicks(end: number, maxTicks: number): number[] {
  if (!(end > 0)) return [0]
  const step = TICK_STEPS.find((candidate) => end / candidate <= maxTicks) ?? TICK_STEPS[TICK_STEPS.length - 1]
  return Array.from({ length: Math.floor(end / step) + 1 }, (_, index) => index * step)
}
