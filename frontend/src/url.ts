/** The job being shown lives in the page address as `?job=<id>`, so a reload or a shared link resumes it. */

export const JOB_PARAM = 'job'

export function readJobId(): string | null {
  const id = new URLSearchParams(window.location.search).get(JOB_PARAM)?.trim()
  return id ? id : null
}

/** Put the job id in the address; `push` adds a history entry so Back returns to the previous job. */
export function writeJobId(jobId: string | null, push = true): void {
  const url = new URL(window.location.href)
  if (jobId) url.searchParams.set(JOB_PARAM, jobId)
  else url.searchParams.delete(JOB_PARAM)
  if (url.href === window.location.href) return
  if (push) window.history.pushState({ jobId }, '', url)
  else window.history.replaceState({ jobId }, '', url)
}
