import type { ClassificationResult } from '../api.ts'
import { duration, percent } from '../format.ts'
import { genreColor } from '../palette.ts'
import { windowRanking } from '../timeline.ts'

/** How many genres the detail lists. */
const SHOWN = 3

interface Props {
  result: ClassificationResult
  /** The window to describe; null shows how to pick one. */
  index: number | null
}

/** The genres of one window of the song, most likely first. */
export function WindowDetail({ result, index }: Props) {
  const window = index === null ? undefined : result.windows[index]
  if (index === null || window === undefined) {
    return (
      <p className="window-detail hint" data-testid="window-detail">
        Click the timeline, or focus it and use the arrow keys, to see the genres of a moment of the song.
      </p>
    )
  }
  const ranked = windowRanking(result.labels, window).slice(0, SHOWN)
  return (
    <div className="window-detail" data-testid="window-detail" data-index={index}>
      <p className="window-time">
        <span className="visually-hidden">Window </span>
        <strong data-testid="window-time">
          {duration(window.start_seconds)}–{duration(window.end_seconds)}
        </strong>
      </p>
      <ol className="window-genres" aria-label="Most likely genres in this window">
        {ranked.map(([genre, p]) => (
          <li key={genre} data-genre={genre}>
            <span className="swatch" style={{ background: genreColor(result.labels, genre) }} aria-hidden="true" />
            <span className="genre-name">{genre}</span> <span className="window-p">{percent(p, 0)}</span>
          </li>
        ))}
      </ol>
    </div>
  )
}
