import type { MouseEvent } from 'react'

import type { BatchEntry } from '../api.ts'
import { percent } from '../format.ts'
import { isPlainClick, routeHref } from '../url.ts'

interface Props {
  entries: BatchEntry[]
  /** Show a song's result (a plain click; other clicks open the link as usual). */
  onOpen: (jobId: string) => void
}

const WAITING: Record<string, string> = {
  queued: 'Queued',
  downloading: 'Fetching audio…',
  analyzing: 'Analyzing…',
  expired: 'No longer kept',
}

/** The playlist's songs in order: title, top genre, confidence, and a link to each finished song's result. */
export function BatchTable({ entries, onOpen }: Props) {
  const open = (event: MouseEvent<HTMLAnchorElement>, jobId: string) => {
    if (!isPlainClick(event)) return
    event.preventDefault()
    onOpen(jobId)
  }

  return (
    <div className="table-scroll batch-table" role="region" aria-label="Songs of the playlist" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Title</th>
            <th scope="col">Genre</th>
            <th scope="col">Confidence</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.index} data-testid="batch-entry" data-state={entry.state}>
              <td>{entry.index}</td>
              <th scope="row" className="batch-title">
                {entry.title ?? entry.url ?? `Song ${entry.index}`}
                {entry.title && entry.url ? <span className="batch-url">{entry.url}</span> : null}
              </th>
              <td className="genre-name" data-testid="entry-genre">
                {entry.result?.top_genre ?? ''}
              </td>
              <td data-testid="entry-confidence">{entry.result ? percent(entry.result.top_probability, 0) : ''}</td>
              <td>
                {entry.state === 'done' && entry.job_id ? (
                  <a
                    href={routeHref({ view: 'classify', jobId: entry.job_id })}
                    onClick={(event) => open(event, entry.job_id as string)}
                    data-testid="entry-result"
                  >
                    Result
                  </a>
                ) : entry.state === 'failed' ? (
                  <span className="batch-error" data-code={entry.error?.code} title={entry.error?.message}>
                    Failed: {entry.error?.message ?? 'unknown reason'}
                  </span>
                ) : (
                  <span className="batch-waiting">{WAITING[entry.state] ?? entry.state}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
