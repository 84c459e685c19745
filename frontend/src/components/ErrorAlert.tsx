import type { ErrorDetail } from '../api.ts'

interface Props {
  error: ErrorDetail
  id?: string
  title?: string
}

/** An error in words, announced to screen readers; the machine code stays in `data-code`. */
export function ErrorAlert({ error, id, title }: Props) {
  return (
    <div className="alert" role="alert" id={id} data-testid="error" data-code={error.code}>
      <span className="alert-icon" aria-hidden="true">
        !
      </span>
      <div>
        {title ? <strong className="alert-title">{title}</strong> : null}
        <p className="alert-message">{error.message}</p>
      </div>
    </div>
  )
}
