import { genreColor } from '../palette.ts'

interface Props {
  /** The model's labels (they fix each genre's colour). */
  labels: string[]
  /** The genres to list, in this order. */
  genres: string[]
}

/** Which colour is which genre, named in words next to each swatch. */
export function GenreLegend({ labels, genres }: Props) {
  return (
    <ul className="legend" aria-label="Colours of the genres" data-testid="legend">
      {genres.map((genre) => (
        <li key={genre} className="legend-item" data-genre={genre}>
          <span className="swatch" style={{ background: genreColor(labels, genre) }} aria-hidden="true" />
          <span className="genre-name">{genre}</span>
        </li>
      ))}
    </ul>
  )
}
