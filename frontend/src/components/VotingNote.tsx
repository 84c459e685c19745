import type { WindowCounts } from '../api.ts'
import { votingInWords } from '../windowKinds.ts'

interface Props {
  counts: WindowCounts
}

/** Which windows the genre rests on, when some were left out (silence, speech or noise); nothing otherwise. */
export function VotingNote({ counts }: Props) {
  const words = votingInWords(counts)
  if (words === null) return null
  return (
    <p className="voting-note" data-testid="voting-note">
      {words}
    </p>
  )
}
