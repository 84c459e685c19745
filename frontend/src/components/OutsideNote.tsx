import type { SongTags } from '../api.ts'
import { outsideEvidence } from '../tags.ts'

interface Props {
  tags: SongTags | null | undefined
}

/**
 * Next to the genre answer, when the song is probably none of the ten genres: the service's message and the
 * tags behind it, so that the top genre is read as what it may be, the nearest of ten that do not fit.
 */
export function OutsideNote({ tags }: Props) {
  if (!tags?.outside_known_genres.outside) return null
  const evidence = outsideEvidence(tags)
  const styles = tags.outside_known_genres.styles
  return (
    <div className="outside-note" role="note" aria-label="Outside the ten genres" data-testid="outside-note">
      <p className="outside-message">{tags.outside_known_genres.message}</p>
      {evidence.length > 0 ? (
        <p className="outside-evidence" data-testid="outside-evidence">
          Behind it:{' '}
          {evidence.map(({ label, top }, index) => (
            <span key={label}>
              {index > 0 ? ', ' : ''}
              <strong>{label}</strong>
              {top === null ? '' : ` (top ${top} %)`}
            </span>
          ))}
          .
        </p>
      ) : styles.length > 0 ? (
        <p className="outside-evidence" data-testid="outside-evidence">
          Behind it: {styles.join(', ')}.
        </p>
      ) : null}
    </div>
  )
}
