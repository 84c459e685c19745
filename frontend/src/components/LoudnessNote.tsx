import { lufs } from '../format.ts'

/**
 * The one level songs are brought to before the model hears them. Results do not carry it; the only
 * normalising preprocessing the pipeline applies (genre_core.preprocessing) uses -20 LUFS, and a result
 * has a loudness only when its model normalised.
 */
export const ANALYSED_AT_LUFS = -20

interface Props {
  /** The song's integrated loudness as received; null or absent: nothing is said. */
  loudness: number | null | undefined
}

/** The song's loudness as received and the level it was analysed at, in small print. */
export function LoudnessNote({ loudness }: Props) {
  if (typeof loudness !== 'number' || !Number.isFinite(loudness)) return null
  return (
    <p className="muted aggregation" data-testid="loudness">
      Loudness {lufs(loudness)}, analysed at {lufs(ANALYSED_AT_LUFS)}: the model hears every song equally loud.
    </p>
  )
}
