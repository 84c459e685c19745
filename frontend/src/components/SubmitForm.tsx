import { useId, useState, type DragEvent, type FormEvent } from 'react'

import type { ErrorDetail } from '../api.ts'
import { checkFile, checkUrl, formatBytes, MAX_UPLOAD_BYTES } from '../validation.ts'
import { ErrorAlert } from './ErrorAlert.tsx'

export type Submission = { kind: 'url'; url: string } | { kind: 'file'; file: File }

/** An error about one of the two inputs. */
export interface FormError {
  field: Submission['kind']
  detail: ErrorDetail
}

interface Props {
  /** Called with checked input only. */
  onSubmit: (submission: Submission) => void
  /** What is being sent right now, if anything. */
  busy: Submission['kind'] | null
  /** An error to show under the form: a failed check, or the API refusing the submission. */
  error: FormError | null
  onError: (error: FormError | null) => void
}

export function SubmitForm({ onSubmit, busy, error, onError }: Props) {
  const [url, setUrl] = useState('')
  const [dragging, setDragging] = useState(false)
  const errorId = useId()
  const urlHintId = useId()
  const fileHintId = useId()

  const submitUrl = (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const checked = checkUrl(url)
    if (!checked.ok) {
      onError({ field: 'url', detail: checked.error })
      return
    }
    onError(null)
    onSubmit({ kind: 'url', url: checked.value })
  }

  const submitFile = (file: File | null | undefined) => {
    if (busy) return
    const checked = checkFile(file)
    if (!checked.ok) {
      onError({ field: 'file', detail: checked.error })
      return
    }
    onError(null)
    onSubmit({ kind: 'file', file: checked.value })
  }

  const onDragOver = (event: DragEvent) => {
    if (!Array.from(event.dataTransfer.types).includes('Files')) return
    event.preventDefault()
    event.dataTransfer.dropEffect = busy ? 'none' : 'copy'
    setDragging(true)
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    const files = event.dataTransfer.files
    if (files.length > 1) {
      onError({ field: 'file', detail: { code: 'too_many_files', message: 'Drop one audio file at a time.' } })
      return
    }
    submitFile(files[0])
  }

  const urlError = error?.field === 'url'

  return (
    <section className="card submit" aria-labelledby="submit-heading">
      <h2 id="submit-heading" className="visually-hidden">
        Classify a song
      </h2>
      <form className="url-form" onSubmit={submitUrl} noValidate>
        <label htmlFor="url-input" className="field-label">
          Link to a song or a playlist
        </label>
        <div className="url-row">
          <input
            id="url-input"
            data-testid="url-input"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="https://www.youtube.com/watch?v=…"
            value={url}
            onChange={(event) => {
              setUrl(event.target.value)
              if (error) onError(null)
            }}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? `${urlHintId} ${errorId}` : urlHintId}
          />
          <button type="submit" className="button primary" data-testid="submit-url" aria-busy={busy === 'url'}>
            {busy === 'url' ? 'Sending…' : 'Classify'}
          </button>
        </div>
        <p id={urlHintId} className="hint">
          A YouTube link to the song, or to a playlist to classify each of its songs (the service accepts links to a
          few allowed sites).
        </p>
      </form>

      <div className="divider" aria-hidden="true">
        <span>or</span>
      </div>

      <div
        className={`dropzone${dragging ? ' dragging' : ''}${busy === 'file' ? ' busy' : ''}`}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false)
        }}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <input
          id="file-input"
          data-testid="file-input"
          className="file-input"
          type="file"
          accept="audio/*"
          disabled={busy !== null}
          aria-describedby={error?.field === 'file' ? `${fileHintId} ${errorId}` : fileHintId}
          onChange={(event) => {
            submitFile(event.target.files?.[0])
            // Let the same file be chosen again after an error.
            event.target.value = ''
          }}
        />
        <label htmlFor="file-input" className="button secondary">
          {busy === 'file' ? 'Uploading…' : 'Upload an audio file'}
        </label>
        <p id={fileHintId} className="hint">
          or drop it here · MP3, WAV, FLAC, OGG… up to {formatBytes(MAX_UPLOAD_BYTES)}
        </p>
      </div>

      {error ? <ErrorAlert error={error.detail} id={errorId} /> : null}
    </section>
  )
}
