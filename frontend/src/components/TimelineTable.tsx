import type { ClassificationResult } from '../api.ts'
import { duration, percent } from '../format.ts'
import { windowRanking } from '../timeline.ts'
import { leftOutDescription } from '../windowKinds.ts'

interface Props {
  result: ClassificationResult
}

/**
 * The timeline as text: every window with its two most likely genres, or what it was when it did not
 * vote (for screen readers, and anyone).
 */
export function TimelineTable({ result }: Props) {
  return (
    <details className="timeline-table">
      <summary>Show the timeline as a table</summary>
      <div className="table-scroll" role="region" aria-label="Timeline as a table" tabIndex={0}>
        <table data-testid="timeline-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Most likely</th>
              <th scope="col">Then</th>
            </tr>
          </thead>
          <tbody>
            {result.windows.map((window, index) => {
              const time = (
                <th scope="row">
                  {duration(window.start_seconds)}–{duration(window.end_seconds)}
                </th>
              )
              const leftOut = leftOutDescription(window)
              if (leftOut !== null) {
                return (
                  <tr key={index} className="left-out-row" data-kind={window.kind}>
                    {time}
                    <td colSpan={2}>
                      <span className="left-out-kind">{leftOut}</span> <span className="muted">left out</span>
                    </td>
                  </tr>
                )
              }
              const [[first, p1], [second, p2] = ['', 0]] = windowRanking(result.labels, window)
              return (
                <tr key={index}>
                  {time}
                  <td>
                    <span className="genre-name">{first}</span> {percent(p1, 0)}
                  </td>
                  <td>{second ? <><span className="genre-name">{second}</span> {percent(p2, 0)}</> : null}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </details>
  )
}
