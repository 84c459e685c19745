import type { ClassificationResult, WindowPrediction } from '../api.ts'
import { duration, percent } from '../format.ts'
import { genreColor } from '../palette.ts'
import { windowRanking } from '../timeline.ts'
import { LEFT_OUT_NAMES, windowKind } from '../windowKinds.ts'

/** How many genres the detail lists. */
const SHOWN = 3

interface Props {
  result: ClassificationResult
  /** The window to describe; null shows how to pick one. */
  index: number | null
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Why a window did not vote, in a sentence. */
function leftOutReason(window: WindowPrediction): string {
  if (windowKind(window) === 'silence') return 'Far quieter than the rest of the song, so it is left out of the song’s genre.'
  const score = typeof window.music_score === 'number' ? ` (music ${percent(window.music_score, 0)})` : ''
  return `The music detector hears speech, applause or noise here${score}, so it is left out of the song’s genre.`
}

/** The genres of one window of the song, most likely first; or, for a window that did not vote, why not. */
export function WindowDetail({ result, index }: Props) {
  const window = index === null ? undefined : result.windows[index]
  if (index === null || window === undefined) {
    return (
      <p className="window-detail hint" data-testid="window-detail">
        Click the timeline, or focus it and use the arrow keys, to see the genres of a moment of the song.
      </p>
    )
  }
  const kind = windowKind(window)
  return (
    <div className="window-detail" data-testid="window-detail" data-index={index} data-kind={kind}>
      <p className="window-time">
        <span className="visually-hidden">Window </span>
        <strong data-testid="window-time">
          {duration(window.start_seconds)}–{duration(window.end_seconds)}
        </strong>
      </p>
      {kind === 'music' ? (
        <ol className="window-genres" aria-label="Most likely genres in this window">
          {windowRanking(result.labels, window)
            .slice(0, SHOWN)
            .map(([genre, p]) => (
              <li key={genre} data-genre={genre}>
                <span className="swatch" style={{ background: genreColor(result.labels, genre) }} aria-hidden="true" />
                <span className="genre-name">{genre}</span> <span className="window-p">{percent(p, 0)}</span>
              </li>
            ))}
        </ol>
      ) : (
        <p className="window-left-out" data-testid="window-left-out">
          <strong className="left-out-kind">{sentenceCase(LEFT_OUT_NAMES[kind])}.</strong>{' '}
          <span className="muted">{leftOutReason(window)}</span>
        </p>
      )}
    </div>
  )
}
