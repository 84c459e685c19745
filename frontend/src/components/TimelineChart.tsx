import { AxisBottom, AxisLeft } from '@visx/axis'
import { curveStep } from '@visx/curve'
import { Group } from '@visx/group'
import { scaleLinear } from '@visx/scale'
import { AreaStack } from '@visx/shape'
import { useId, useMemo, type KeyboardEvent } from 'react'

import type { ClassificationResult } from '../api.ts'
import { duration, percent } from '../format.ts'
import { genreColor } from '../palette.ts'
import { timeTicks, timelineEnd, timelinePoints, windowRanking, type TimelinePoint } from '../timeline.ts'
import { useElementWidth } from '../useElementWidth.ts'
import { leftOutDescription, leftOutStretches, windowKind } from '../windowKinds.ts'
import { LeftOutSegments } from './LeftOutSegments.tsx'

const HEIGHT = 200
const MARGIN = { top: 8, right: 18, bottom: 26, left: 38 }
/** Keys that move the selection, and by how many windows (Home/End are handled apart). */
const STEPS: Record<string, number> = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10 }

interface Props {
  result: ClassificationResult
  /** Genres bottom to top of the stack. */
  stackOrder: string[]
  /** The selected window, highlighted. */
  selected: number | null
  /** The player's position in seconds, marked with a line; null without a player. */
  position: number | null
  /** A window was clicked or chosen with the keyboard. */
  onSelectWindow: (index: number, startSeconds: number) => void
  /** The pointer is over a window (null: it left the chart). */
  onHoverWindow?: (index: number | null) => void
}

function windowLabel(result: ClassificationResult, index: number): string {
  const window = result.windows[index]
  const time = `${duration(window.start_seconds)} to ${duration(window.end_seconds)}`
  const leftOut = leftOutDescription(window)
  if (leftOut !== null) return `${time}: ${leftOut}, left out of the song's genre`
  const top = windowRanking(result.labels, window)
    .slice(0, 3)
    .map(([genre, p]) => `${genre} ${percent(p, 0)}`)
    .join(', ')
  return `${time}: ${top}`
}

/**
 * The song's genre probabilities over time as a stacked area (visx), one layer per genre; windows
 * that did not vote are greyed or hatched and named instead; each
 * window is a click target, the selected window is outlined and the player's position is a line.
 * Keyboard: the chart is a slider over the windows (arrows, Page Up/Down, Home, End).
 */
export function TimelineChart({ result, stackOrder, selected, position, onSelectWindow, onHoverWindow }: Props) {
  const [containerRef, width] = useElementWidth<HTMLDivElement>(640)
  const innerWidth = Math.max(1, width - MARGIN.left - MARGIN.right)
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const { windows, labels } = result
  const end = timelineEnd(result)

  const points = useMemo(() => timelinePoints(result), [result])
  const stretches = useMemo(() => leftOutStretches(windows), [windows])
  const patternPrefix = `timeline-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`
  const xScale = useMemo(() => scaleLinear<number>({ domain: [0, end], range: [0, innerWidth] }), [end, innerWidth])
  const yScale = useMemo(() => scaleLinear<number>({ domain: [0, 1], range: [innerHeight, 0] }), [innerHeight])

  const select = (index: number) => {
    const clamped = Math.min(windows.length - 1, Math.max(0, index))
    onSelectWindow(clamped, windows[clamped].start_seconds)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = selected ?? -1
    let next: number | null = null
    if (event.key in STEPS) next = current < 0 ? 0 : current + STEPS[event.key]
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = windows.length - 1
    else if ((event.key === 'Enter' || event.key === ' ') && current >= 0) next = current
    if (next === null) return
    event.preventDefault()
    select(next)
  }

  const playhead = position === null ? null : xScale(Math.min(end, Math.max(0, position)))

  return (
    <div
      ref={containerRef}
      className="timeline-chart"
      data-testid="timeline-chart"
      role="slider"
      tabIndex={0}
      aria-label="Song timeline: genre probabilities per window. Use the arrow keys to move through the song."
      aria-valuemin={0}
      aria-valuemax={Math.max(0, windows.length - 1)}
      aria-valuenow={selected ?? 0}
      aria-valuetext={selected === null ? 'No window chosen' : `Window ${selected + 1} of ${windows.length}, ${windowLabel(result, selected)}`}
      onKeyDown={onKeyDown}
      onMouseLeave={() => onHoverWindow?.(null)}
    >
      <svg width={width} height={HEIGHT} aria-hidden="true" focusable="false">
        <Group left={MARGIN.left} top={MARGIN.top}>
          <AreaStack<TimelinePoint, string>
            keys={stackOrder}
            data={points}
            curve={curveStep}
            value={(point, genre) => point.probabilities[genre] ?? 0}
            x={(point) => xScale(point.data.seconds)}
            y0={(point) => yScale(point[0])}
            y1={(point) => yScale(point[1])}
          >
            {({ stacks, path }) =>
              stacks.map((stack) => (
                <path
                  key={stack.key}
                  className="timeline-layer"
                  data-genre={stack.key}
                  d={path(stack) ?? ''}
                  fill={genreColor(labels, stack.key)}
                />
              ))
            }
          </AreaStack>

          <LeftOutSegments stretches={stretches} xScale={xScale} height={innerHeight} patternPrefix={patternPrefix} />

          {selected !== null && windows[selected] ? (
            <rect
              className="timeline-selection"
              data-testid="timeline-selection"
              data-index={selected}
              x={xScale(windows[selected].start_seconds)}
              width={Math.max(2, xScale(windows[selected].end_seconds) - xScale(windows[selected].start_seconds))}
              y={0}
              height={innerHeight}
            />
          ) : null}

          {windows.map((window, index) => (
            <rect
              key={index}
              className="timeline-hit"
              data-testid="timeline-window"
              data-index={index}
              data-start={window.start_seconds}
              data-kind={windowKind(window)}
              x={xScale(window.start_seconds)}
              width={Math.max(1, xScale(window.end_seconds) - xScale(window.start_seconds))}
              y={0}
              height={innerHeight}
              onClick={() => select(index)}
              onMouseEnter={() => onHoverWindow?.(index)}
            />
          ))}

          {playhead !== null ? (
            <g className="timeline-playhead" data-testid="timeline-playhead" data-seconds={position ?? undefined}>
              <line x1={playhead} x2={playhead} y1={-4} y2={innerHeight} />
              <circle cx={playhead} cy={-2} r={4} />
            </g>
          ) : null}

          <AxisLeft
            scale={yScale}
            tickValues={[0, 0.5, 1]}
            tickFormat={(value) => percent(Number(value), 0)}
            axisClassName="timeline-axis"
            tickLabelProps={{ className: 'timeline-tick', fontSize: 11, textAnchor: 'end', dx: -4, dy: '0.33em' }}
            hideAxisLine
            tickLength={3}
          />
          <AxisBottom
            top={innerHeight}
            scale={xScale}
            tickValues={timeTicks(end, Math.max(2, Math.floor(innerWidth / 70)))}
            tickFormat={(value) => duration(Number(value))}
            axisClassName="timeline-axis"
            tickLabelProps={{ className: 'timeline-tick', fontSize: 11, textAnchor: 'middle' }}
            tickLength={4}
          />
        </Group>
      </svg>
    </div>
  )
}
