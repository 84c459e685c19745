import type { GenreScores } from '../api.ts'

interface Props {
  perGenre: Record<string, GenreScores>
  split: string
}

/** Precision, recall and F1 of every genre, as numbers. */
export function PerGenreTable({ perGenre, split }: Props) {
  return (
    <details className="per-genre">
      <summary>Precision and recall per genre ({split} split, song level)</summary>
      <div className="table-scroll" role="region" aria-label="Scores per genre" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Genre</th>
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
              <th scope="col">Songs</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(perGenre).map(([genre, scores]) => (
              <tr key={genre}>
                <th scope="row" className="genre-name">
                  {genre}
                </th>
                <td>{scores.precision.toFixed(2)}</td>
                <td>{scores.recall.toFixed(2)}</td>
                <td>{scores.f1.toFixed(2)}</td>
                <td>{scores.support}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}
