interface Props {
  labels: string[]
  /** Rows: true genre; columns: predicted genre; both in the order of `labels`. */
  matrix: number[][]
  /** The split it was measured on, for the caption. */
  split: string
}

/** Above this share of its row a cell is dark enough to need light text. */
const DARK_FROM = 0.7

function abbreviation(genre: string): string {
  return genre.slice(0, 3)
}

/**
 * The song-level confusion matrix as a heat map that is also a real table: genre names on both
 * axes, the count in every cell, and the cell's shade its share of the true genre's songs
 * (one hue, light to dark, so it reads the same for colour-blind eyes).
 */
export function ConfusionMatrix({ labels, matrix, split }: Props) {
  return (
    <>
      <div className="table-scroll" role="region" aria-labelledby="confusion-caption" tabIndex={0}>
        <table className="confusion" data-testid="confusion-matrix" aria-describedby="confusion-note">
          <caption id="confusion-caption" className="visually-hidden">
            Confusion matrix, {split} split: true genre in rows, the genre the model said in columns
          </caption>
          <thead>
            <tr>
              <th scope="col" className="corner">
                <span aria-hidden="true">true ↓ · said →</span>
                <span className="visually-hidden">True genre</span>
              </th>
              {labels.map((genre) => (
                <th key={genre} scope="col" className="confusion-col" title={genre}>
                  <span aria-hidden="true">{abbreviation(genre)}</span>
                  <span className="visually-hidden">said {genre}</span>
                </th>
              ))}
              <th scope="col" className="confusion-total">
                Songs
              </th>
            </tr>
          </thead>
          <tbody>
            {labels.map((trueGenre, row) => {
              const counts = matrix[row] ?? []
              const total = counts.reduce((sum, count) => sum + count, 0)
              return (
                <tr key={trueGenre}>
                  <th scope="row" className="genre-name">
                    {trueGenre}
                  </th>
                  {labels.map((predicted, column) => {
                    const count = counts[column] ?? 0
                    const share = total > 0 ? count / total : 0
                    const classes = ['confusion-cell']
                    if (row === column) classes.push('diagonal')
                    if (count === 0) classes.push('zero')
                    if (share >= DARK_FROM) classes.push('dark')
                    return (
                      <td
                        key={predicted}
                        className={classes.join(' ')}
                        data-testid="confusion-cell"
                        data-true={trueGenre}
                        data-predicted={predicted}
                        data-count={count}
                        data-share={share.toFixed(3)}
                        style={{ backgroundColor: `color-mix(in srgb, var(--heat) ${Math.round(share * 100)}%, var(--surface))` }}
                      >
                        {count}
                      </td>
                    )
                  })}
                  <td className="confusion-total">{total}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="hint confusion-note" id="confusion-note">
        Which genre the model said (columns) for the songs of each genre (rows), {split} split. The darker a cell, the
        larger its share of the row’s songs; the outlined diagonal is where it was right.
      </p>
    </>
  )
}
