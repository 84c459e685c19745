/**
 * A song's tags in words. A tag's `score` is a raw sigmoid trained on noisy crowd tags, not a probability, so
 * nothing here shows it: a tag is shown by its rank against the model's reference songs ("top 3 %").
 */

import type { SongTags, TagGroup, TagScore } from './api.ts'

/** The groups in the order the page shows them, with their headings. */
export const TAG_GROUPS: ReadonlyArray<{ group: TagGroup; heading: string }> = [
  { group: 'style', heading: 'Sounds like' },
  { group: 'era', heading: 'Era' },
  { group: 'mood', heading: 'Mood' },
  { group: 'voice_instrument', heading: 'Voice & instruments' },
]

/** N of "top N %": the share of the reference songs that score as high or higher on the tag, at least 1. */
export function topShare(tag: TagScore): number {
  return Math.max(1, Math.round(100 - tag.percentile))
}

/** "505 songs: the training songs ..." → 505; null when the text does not start with a count. */
export function referenceSongs(tags: SongTags): number | null {
  const match = /^\s*([\d,]+)\s+songs\b/.exec(tags.reference)
  if (!match) return null
  const count = Number(match[1].replace(/,/g, ''))
  return Number.isFinite(count) ? count : null
}

function referenceWords(songs: number | null): string {
  return songs === null ? 'the reference songs' : `the ${songs.toLocaleString('en-US')} reference songs`
}

/** The chip's tooltip: what "top N %" means for this tag. */
export function tagTitle(tag: TagScore, songs: number | null): string {
  if (tag.percentile >= 100) return `Scores at least as high as all of ${referenceWords(songs)} on this tag`
  const share = Number(tag.percentile.toFixed(1))
  return `Scores higher than ${share} % of ${referenceWords(songs)} on this tag`
}

/** What a screen reader says for the chip, e.g. "electronic, top 2 percent of reference songs". */
export function tagAriaLabel(tag: TagScore): string {
  return `${tag.label}, top ${topShare(tag)} percent of reference songs`
}

/** The song's tags of one group, strongest first (as the result lists them). */
export function tagsOf(tags: SongTags, group: TagGroup): TagScore[] {
  return tags.tags.filter((tag) => tag.group === group)
}

function joined(items: string[], last: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`
}

/** "1980s" → "the 1980s"; "oldies" → "an oldie"; anything else as it is. */
function eraWords(label: string): string {
  if (/^\d{4}s$/.test(label)) return `the ${label}`
  if (label.toLowerCase() === 'oldies') return 'an oldie'
  return label
}

const MAX_ERAS = 2
const MAX_MOODS = 3

/**
 * The era and mood chips in one sentence, e.g. "Sounds like the 1980s; mellow." or "Mellow and chill.";
 * null when the song ranks high on neither.
 */
export function eraMoodSentence(tags: SongTags): string | null {
  const eras = tagsOf(tags, 'era')
    .slice(0, MAX_ERAS)
    .map((tag) => eraWords(tag.label))
  const moods = tagsOf(tags, 'mood')
    .slice(0, MAX_MOODS)
    .map((tag) => tag.label)
  const parts: string[] = []
  if (eras.length > 0) parts.push(`Sounds like ${joined(eras, 'or')}`)
  if (moods.length > 0) parts.push(joined(moods, 'and'))
  if (parts.length === 0) return null
  const sentence = parts.join('; ')
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`
}

/** The song's tags behind "outside the ten", as listed in its tags (label and rank); unknown ones by name. */
export function outsideEvidence(tags: SongTags): Array<{ label: string; top: number | null }> {
  const { outside_known_genres: outside } = tags
  const evidence = outside.tags.map((name) => {
    const tag = tags.tags.find((candidate) => candidate.tag === name)
    return tag ? { label: tag.label, top: topShare(tag) } : { label: name, top: null }
  })
  const seen = new Set<string>()
  return evidence.filter(({ label }) => (seen.has(label) ? false : (seen.add(label), true)))
}
