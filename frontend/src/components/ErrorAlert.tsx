import type { ErrorDetail } from '../api.ts'

interface Props {
  error: ErrorDetail
  id?: string
  title?: string
  /** What to try instead, under the message. */
  hint?: string
}

/** An error in words, announced to screen readers; the machine code stays in `data-code`. */
export function ErrorAlert({ error, id, title, hint }: Props) {
  return (
    <div className="alert" role="alert" id={id} data-testid="error" data-code={error.code}>
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div>
        {title ? <strong className="alert-title">{title}</strong> : null}
        <p className="alert-message">{error.message}</p>
        {hint ? <p className="alert-hint">{hint}</p> : null}
      </div>
    </div>
  )
}
