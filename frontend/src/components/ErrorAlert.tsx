import type { JobError } from '../api.ts'

interface Props {
  error: JobError
  id?: string
  title?: string
  /** What to try instead, under the message. */
  hint?: string
}

/**
 * An error in words, announced to screen readers; the machine code stays in `data-code`. The failing tool's
 * own words, when there are any, stay folded away under the message: for whoever runs the service.
 */
export function ErrorAlert({ error, id, title, hint }: Props) {
  return (
    <div className="alert" role="alert" id={id} data-testid="error" data-code={error.code} data-cause={error.cause ?? undefined}>
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div className="alert-body">
        {title ? <strong className="alert-title">{title}</strong> : null}
        <p className="alert-message">{error.message}</p>
        {hint ? <p className="alert-hint">{hint}</p> : null}
        {error.detail ? (
          <details className="alert-detail">
            <summary>Technical details</summary>
            <pre data-testid="error-detail">{error.detail}</pre>
          </details>
        ) : null}
      </div>
    </div>
  )
}
