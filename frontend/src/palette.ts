/**
 * Colours of the genres in charts: Paul Tol's colour-blind-safe "muted" scheme (9 colours) plus
 * Okabe–Ito orange, ordered so that neighbours in the list differ in lightness as well as hue.
 * A genre keeps its colour across songs: it is picked by the genre's place in the model's labels.
 * Colour is never the only cue: every chart names the genres in a legend or in text.
 */
export const GENRE_PALETTE: readonly string[] = [
  '#332288', // indigo
  '#88CCEE', // cyan
  '#117733', // green
  '#DDCC77', // sand
  '#882255', // wine
  '#44AA99', // teal
  '#E69F00', // orange (Okabe–Ito)
  '#AA4499', // purple
  '#999933', // olive
  '#CC6677', // rose
]

/** The colour of `genre`, by its index in `labels` (genres outside `labels` get one after them). */
export function genreColor(labels: readonly string[], genre: string): string {
  const index = labels.indexOf(genre)
  const position = index >= 0 ? index : labels.length
  return GENRE_PALETTE[position % GENRE_PALETTE.length]
}

