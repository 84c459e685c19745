import type { Batch } from '../api.ts'

interface Props {
  batch: Batch
}

/** How many of the playlist's finished songs have each genre, most first, and how many failed. */
export function BatchSummary({ batch }: Props) {
  const genres = Object.entries(batch.genres)
  const finished = batch.counts.done
  if (finished === 0 && batch.counts.failed === 0) return null
  return (
    <div className="batch-summary" data-testid="batch-summary">
      <h3>Summary</h3>
      <ul className="batch-genres">
        {genres.map(([genre, count]) => (
          <li key={genre} data-genre={genre}>
            <span className="genre-name">{genre}</span> <span className="batch-genre-count">{count}</span>
            <span className="visually-hidden"> {count === 1 ? 'song' : 'songs'}</span>
          </li>
        ))}
        {batch.counts.failed > 0 ? (
          <li className="batch-failed-count" data-genre="failed">
            failed <span className="batch-genre-count">{batch.counts.failed}</span>
          </li>
        ) : null}
      </ul>
    </div>
  )
}
