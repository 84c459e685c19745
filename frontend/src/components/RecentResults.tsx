import type { MouseEvent } from 'react'

import { percent, shortDate } from '../format.ts'
import type { RecentResult } from '../recent.ts'
import { isPlainClick, routeHref } from '../url.ts'

interface Props {
  entries: RecentResult[]
  /** The job on screen, marked in the list. */
  currentJobId: string | null
  /** Show a job (a plain click; other clicks open the link as usual). */
  onOpen: (jobId: string) => void
  onClear: () => void
}

/** The results this browser has seen, newest first, each a link to its result page. */
export function RecentResults({ entries, currentJobId, onOpen, onClear }: Props) {
  if (entries.length === 0) return null

  const open = (event: MouseEvent<HTMLAnchorElement>, jobId: string) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    onOpen(jobId)
  }

  return (
    <section className="card recent" data-testid="recent-results" aria-labelledby="recent-heading">
      <div className="recent-header">
        <h2 id="recent-heading">Your recent results</h2>
        <button type="button" className="button link" onClick={onClear} data-testid="clear-recent">
          Clear
        </button>
      </div>
      <ol className="recent-list">
        {entries.map((entry) => (
          <li key={entry.jobId}>
            <a
              href={routeHref({ view: 'classify', jobId: entry.jobId })}
              onClick={(event) => open(event, entry.jobId)}
              aria-current={entry.jobId === currentJobId ? 'page' : undefined}
              data-testid="recent-result"
              data-job-id={entry.jobId}
            >
              <span className="recent-genre genre-name">{entry.topGenre}</span>
              <span className="recent-p">{percent(entry.topProbability, 0)}</span>
              <span className="recent-source">{entry.source}</span>
              <span className="recent-date">{shortDate(entry.finishedAt)}</span>
            </a>
          </li>
        ))}
      </ol>
      <p className="hint">Kept in this browser only.</p>
    </section>
  )
}
