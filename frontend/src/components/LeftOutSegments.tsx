import { LEFT_OUT_NAMES, type LeftOutStretch } from '../windowKinds.ts'

/** Roughly how wide one character of the 11-px label is; a label is drawn only where it fits. */
const LABEL_CHAR_WIDTH = 6.2
const LABEL_PADDING = 6

interface Props {
  stretches: LeftOutStretch[]
  /** Seconds to x. */
  xScale: (seconds: number) => number
  height: number
  /** Unique per chart: the hatch pattern's id is built from it. */
  patternPrefix: string
}

/**
 * The timeline's stretches that did not vote, drawn over the gap they leave in the genre layers:
 * silence greyed, speech or noise hatched (the two differ in texture, not only in shade), each named
 * where the stretch is wide enough. Screen readers get the same from the slider's value text.
 */
export function LeftOutSegments({ stretches, xScale, height, patternPrefix }: Props) {
  if (stretches.length === 0) return null
  const hatchId = `${patternPrefix}-hatch`
  return (
    <g className="timeline-left-out" pointerEvents="none">
      <defs>
        <pattern id={hatchId} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect className="left-out-hatch-bg" width={6} height={6} />
          <line className="left-out-hatch" x1={1} y1={0} x2={1} y2={6} />
        </pattern>
      </defs>
      {stretches.map((stretch) => {
        const x = xScale(stretch.startSeconds)
        const width = Math.max(1, xScale(stretch.endSeconds) - x)
        const label = LEFT_OUT_NAMES[stretch.kind]
        const labelWidth = label.length * LABEL_CHAR_WIDTH + 2 * LABEL_PADDING
        const kindClass = stretch.kind === 'silence' ? 'silence' : 'not-music'
        return (
          <g key={stretch.first} className={`left-out-segment ${kindClass}`} data-testid="left-out-segment" data-kind={stretch.kind}>
            <rect
              className={`left-out-fill ${kindClass}`}
              x={x}
              width={width}
              y={0}
              height={height}
              // The stylesheet colours silence; speech or noise is filled with the hatch.
              fill={stretch.kind === 'not_music' ? `url(#${hatchId})` : undefined}
            />
            {width >= labelWidth + 4 ? (
              <g className="left-out-label">
                <rect x={x + width / 2 - labelWidth / 2} y={height / 2 - 10} width={labelWidth} height={20} rx={6} />
                <text x={x + width / 2} y={height / 2} dy="0.35em" textAnchor="middle" fontSize={11}>
                  {label}
                </text>
              </g>
            ) : null}
          </g>
        )
      })}
    </g>
  )
}
