import type { GenreScores } from '../api.ts'

/** Fewer held-out songs than this and a genre's score is flagged as resting on too little. */
export const FEW_SONGS = 5

interface Props {
  /** Genres in the model's order (ties keep it). */
  labels: string[]
  perGenre: Record<string, GenreScores>
}

/** Each genre's F1 score as a bar, best first, with how many songs it was measured on. */
export function F1Bars({ labels, perGenre }: Props) {
  const genres = [...labels, ...Object.keys(perGenre).filter((genre) => !labels.includes(genre))]
  const ranked = genres
    .map((genre, index) => ({ genre, index, scores: perGenre[genre] }))
    .filter((entry): entry is { genre: string; index: number; scores: GenreScores } => entry.scores !== undefined)
    .sort((a, b) => b.scores.f1 - a.scores.f1 || a.index - b.index)

  return (
    <ol className="bars f1-bars" aria-label="F1 score per genre" data-testid="f1-bars">
      {ranked.map(({ genre, scores }) => {
        const few = scores.support < FEW_SONGS
        return (
          <li
            key={genre}
            className={`bar f1-bar${few ? ' few' : ''}`}
            data-testid="f1-bar"
            data-genre={genre}
            data-f1={scores.f1}
            data-support={scores.support}
          >
            <span className="bar-label genre-name">{genre}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${Math.round(Math.min(1, Math.max(0, scores.f1)) * 1000) / 10}%` }} />
            </span>
            <span className="bar-value">{scores.f1.toFixed(2)}</span>
            <span className="f1-support">
              {scores.support} {scores.support === 1 ? 'song' : 'songs'}
              {few ? <span className="few-flag"> · too few</span> : null}
            </span>
          </li>
        )
      })}
    </ol>
  )
}
