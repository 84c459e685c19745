/** Which windows of a song voted for its genre, which were left out, and how to say so. */

import type { ClassificationResult, WindowCounts, WindowKind, WindowPrediction } from './api.ts'
import { duration } from './format.ts'

/** A kind of window that does not vote. */
export type LeftOutKind = Exclude<WindowKind, 'music'>

/** The left-out kinds in the order the page names them. */
export const LEFT_OUT_KINDS: readonly LeftOutKind[] = ['silence', 'not_music']

/** What each left-out kind is called on the page (the detector cannot tell speech from noise, so neither do we). */
export const LEFT_OUT_NAMES: Record<LeftOutKind, string> = {
  silence: 'silence',
  not_music: 'speech or noise',
}

/** A window's kind; results from before windows were screened have none, and all their windows voted. */
export function windowKind(window: WindowPrediction): WindowKind {
  return window.kind ?? 'music'
}

/** Whether the window's probabilities count towards the song's genre. */
export function votes(window: WindowPrediction): boolean {
  return windowKind(window) === 'music'
}

/** How many windows voted and were left out: the result's own counts, else counted from the windows. */
export function windowCounts(result: ClassificationResult): WindowCounts {
  if (result.window_counts) return result.window_counts
  const counts: WindowCounts = { music: 0, silence: 0, not_music: 0 }
  for (const window of result.windows) counts[windowKind(window)] += 1
  return counts
}

/** The number of windows left out, for any reason. */
export function leftOutCount(counts: WindowCounts): number {
  return counts.silence + counts.not_music
}

/** A window in words for people: "silence" / "speech or noise (music 12%)", or null for a music window. */
export function leftOutDescription(window: WindowPrediction): string | null {
  const kind = windowKind(window)
  if (kind === 'music') return null
  const score = kind === 'not_music' && typeof window.music_score === 'number' ? window.music_score : null
  return score === null ? LEFT_OUT_NAMES[kind] : `${LEFT_OUT_NAMES[kind]} (music ${Math.round(score * 100)}%)`
}

/**
 * "Based on 57 of 64 windows: 4 left out as silence, 3 as speech or noise." Null when every window
 * voted: there is then nothing to add to the genre.
 */
export function votingInWords(counts: WindowCounts): string | null {
  const leftOut = leftOutCount(counts)
  if (leftOut === 0) return null
  const reasons = LEFT_OUT_KINDS.filter((kind) => counts[kind] > 0).map(
    (kind, index) => `${counts[kind]} ${index === 0 ? 'left out ' : ''}as ${LEFT_OUT_NAMES[kind]}`,
  )
  const total = counts.music + leftOut
  return `Based on ${counts.music} of ${total} windows: ${reasons.join(', ')}.`
}

/** A stretch of consecutive windows of the same left-out kind. */
export interface LeftOutStretch {
  kind: LeftOutKind
  startSeconds: number
  endSeconds: number
  /** Index of its first window. */
  first: number
  windows: number
}

/** The song's left-out stretches, in order: the timeline greys them out and names them. */
export function leftOutStretches(windows: readonly WindowPrediction[]): LeftOutStretch[] {
  const stretches: LeftOutStretch[] = []
  windows.forEach((window, index) => {
    const kind = windowKind(window)
    if (kind === 'music') return
    const current = stretches.at(-1)
    if (current && current.kind === kind && current.first + current.windows === index) {
      current.endSeconds = window.end_seconds
      current.windows += 1
    } else {
      stretches.push({ kind, startSeconds: window.start_seconds, endSeconds: window.end_seconds, first: index, windows: 1 })
    }
  })
  return stretches
}

/** "0:00–0:06 silence". */
export function stretchInWords(stretch: LeftOutStretch): string {
  return `${duration(stretch.startSeconds)}–${duration(stretch.endSeconds)} ${LEFT_OUT_NAMES[stretch.kind]}`
}
