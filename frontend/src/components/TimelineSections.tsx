import type { ClassificationResult } from '../api.ts'
import { duration, seconds } from '../format.ts'
import { genreColor } from '../palette.ts'
import { genreSections } from '../timeline.ts'
import { leftOutStretches, stretchInWords } from '../windowKinds.ts'

/** Beyond this many sections the list is cut (a song that keeps flipping has no clear story). */
const MAX_SECTIONS = 8
/** Beyond this many left-out stretches their list is cut too. */
const MAX_LEFT_OUT = 6
/** Stretches shorter than this many windows are blips, left out of the summary. */
const MIN_WINDOWS = 2

interface Props {
  result: ClassificationResult
}

/**
 * Where the song's most likely genre changes, in words: "0:00–0:21 rock, 0:21–0:30 metal"; then the
 * stretches left out of the genre (they make no section, so the gaps they leave are explained).
 */
export function TimelineSections({ result }: Props) {
  const sections = genreSections(result, MIN_WINDOWS)
  if (sections.length === 0) return null
  const leftOut = leftOutStretches(result.windows)
  const blipsLeftOut = genreSections(result).length > sections.length
  const shown = sections.slice(0, MAX_SECTIONS)
  return (
    <div className="sections">
      <h3 className="subheading" id="sections-heading">
        {sections.length === 1 ? 'The same genre all through' : 'Where the genre changes'}
      </h3>
      <ol className="section-list" aria-labelledby="sections-heading" data-testid="sections">
        {shown.map((section) => (
          <li key={section.startSeconds} data-genre={section.genre}>
            <span className="swatch" style={{ background: genreColor(result.labels, section.genre) }} aria-hidden="true" />
            <span className="section-time">
              {duration(section.startSeconds)}–{duration(section.endSeconds)}
            </span>{' '}
            <span className="genre-name">{section.genre}</span>
          </li>
        ))}
        {sections.length > shown.length ? <li className="muted">… and {sections.length - shown.length} more</li> : null}
      </ol>
      {blipsLeftOut ? (
        <p className="hint">
          Changes lasting less than {seconds(MIN_WINDOWS * result.window_seconds)} are left out here; the timeline shows them.
        </p>
      ) : null}
      {leftOut.length > 0 ? (
        <p className="hint" data-testid="left-out-stretches">
          Left out: {leftOut.slice(0, MAX_LEFT_OUT).map(stretchInWords).join('; ')}
          {leftOut.length > MAX_LEFT_OUT ? `; and ${leftOut.length - MAX_LEFT_OUT} more` : ''}.
        </p>
      ) : null}
    </div>
  )
}
