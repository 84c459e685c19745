/**
 * What the page shows lives in its address, so a reload or a shared link shows the same thing:
 * `?job=<id>` is the job being shown, `?batch=<id>` the playlist, `?view=model` the Model page.
 */

export const JOB_PARAM = 'job'
export const BATCH_PARAM = 'batch'
export const VIEW_PARAM = 'view'

export type View = 'classify' | 'model'

export interface Route {
  view: View
  jobId: string | null
  /** A playlist's batch; shown instead of a job. */
  batchId?: string | null
}

function readParam(name: string): string | null {
  const id = new URLSearchParams(window.location.search).get(name)?.trim()
  return id ? id : null
}

export function readJobId(): string | null {
  return readParam(JOB_PARAM)
}

export function readRoute(): Route {
  const view = new URLSearchParams(window.location.search).get(VIEW_PARAM) === 'model' ? 'model' : 'classify'
  const batchId = readParam(BATCH_PARAM)
  return { view, jobId: batchId ? null : readJobId(), batchId }
}

/** The relative address of a route, e.g. `?job=abc`, `?batch=def`, `?view=model&job=abc`, or `/` for the empty page. */
export function routeHref(route: Route): string {
  const params = new URLSearchParams()
  if (route.view === 'model') params.set(VIEW_PARAM, 'model')
  if (route.batchId) params.set(BATCH_PARAM, route.batchId)
  else if (route.jobId) params.set(JOB_PARAM, route.jobId)
  const query = params.toString()
  return query ? `?${query}` : window.location.pathname
}

/** Show `route` in the address; `push` adds a history entry so Back returns to what was shown before. */
export function writeRoute(route: Route, push = true): void {
  const url = new URL(routeHref(route), window.location.href)
  if (url.href === window.location.href) return
  if (push) window.history.pushState(route, '', url)
  else window.history.replaceState(route, '', url)
}

/** Put the job id in the address (on the classify view). */
export function writeJobId(jobId: string | null, push = true): void {
  writeRoute({ view: 'classify', jobId }, push)
}

/** A plain left click, which the page handles itself; other clicks (new tab, …) are left to the browser. */
export function isPlainClick(event: {
  button: number
  metaKey: boolean
  ctrlKey: boolean
  shiftKey: boolean
  altKey: boolean
}): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}
