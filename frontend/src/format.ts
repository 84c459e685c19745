/** Display helpers shared by the components. */

/** 0.7234 → "72.3%". */
export function percent(probability: number, digits = 1): string {
  const clamped = Number.isFinite(probability) ? Math.min(1, Math.max(0, probability)) : 0
  return `${(clamped * 100).toFixed(digits)}%`
}

/** 205.3 → "3:25"; 3725 → "1:02:05". */
export function duration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** 3 → "3 s", 2.5 → "2.5 s". */
export function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`
}

/** -9.84 → "−9.8 LUFS", -20 → "−20 LUFS" (with a true minus sign, which screen readers say as "minus"). */
export function lufs(value: number): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1)
  return `${text.replace('-', '\u2212')} LUFS`
}

/** "2024-05-01T10:00:00Z" → a short local date, or the input when it is not a date. */
export function shortDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
}

/** Genres sorted by probability, highest first; ties keep the order of `labels`. */
export function rankGenres(labels: string[], probabilities: Record<string, number>): Array<[string, number]> {
  const genres = [...labels, ...Object.keys(probabilities).filter((genre) => !labels.includes(genre))]
  return genres
    .map((genre, index) => ({ genre, index, p: probabilities[genre] ?? 0 }))
    .sort((a, b) => b.p - a.p || a.index - b.index)
    .map(({ genre, p }) => [genre, p])
}
