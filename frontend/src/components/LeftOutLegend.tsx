import { LEFT_OUT_KINDS, LEFT_OUT_NAMES, type LeftOutKind } from '../windowKinds.ts'

const MEANINGS: Record<LeftOutKind, string> = {
  silence: 'far quieter than the song',
  not_music: 'no music heard',
}

interface Props {
  /** The left-out kinds this song has; the legend lists only those. */
  kinds: ReadonlySet<LeftOutKind>
}

/** What the greyed and hatched stretches of the timeline are: windows left out of the song's genre. */
export function LeftOutLegend({ kinds }: Props) {
  const shown = LEFT_OUT_KINDS.filter((kind) => kinds.has(kind))
  if (shown.length === 0) return null
  return (
    <ul className="legend left-out-legend" aria-label="Stretches left out of the song's genre" data-testid="left-out-legend">
      {shown.map((kind) => (
        <li key={kind} className="legend-item" data-kind={kind}>
          <span className={`swatch left-out-swatch ${kind === 'silence' ? 'silence' : 'not-music'}`} aria-hidden="true" />
          <span>
            {LEFT_OUT_NAMES[kind]} <span className="muted">({MEANINGS[kind]}; left out)</span>
          </span>
        </li>
      ))}
    </ul>
  )
}
