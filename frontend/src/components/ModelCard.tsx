import { useEffect, useState } from 'react'

import { ApiError, getCurrentModel, type ModelManifest } from '../api.ts'
import { percent, shortDate } from '../format.ts'

type Loaded = { status: 'loading' } | { status: 'ready'; model: ModelManifest } | { status: 'error'; error: ApiError }

function trainedSongs(model: ModelManifest): number | null {
  const counts = model.training.trained_on.map((part) => model.training.songs_per_split?.[part])
  if (counts.length === 0 || counts.some((count) => typeof count !== 'number')) return null
  return (counts as number[]).reduce((sum, count) => sum + count, 0)
}

/** The model the service runs: what it is, what it learned from, and how well it did on held-out songs. */
export function ModelCard() {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

  useEffect(() => {
    const controller = new AbortController()
    getCurrentModel(controller.signal)
      .then((model) => setLoaded({ status: 'ready', model }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        setLoaded({
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError('unexpected_error', String(error), 0),
        })
      })
    return () => controller.abort()
  }, [])

  return (
    <section className="card model" data-testid="model-card" aria-labelledby="model-heading" aria-busy={loaded.status === 'loading'}>
      <h2 id="model-heading">The model</h2>
      {loaded.status === 'loading' ? <p className="muted">Loading model information…</p> : null}
      {loaded.status === 'error' ? (
        <p className="muted" data-error-code={loaded.error.code}>
          Model information is not available: {loaded.error.message}
        </p>
      ) : null}
      {loaded.status === 'ready' ? <ModelDetails model={loaded.model} /> : null}
    </section>
  )
}

function ModelDetails({ model }: { model: ModelManifest }) {
  const { training, metrics } = model
  const songs = trainedSongs(model)
  return (
    <>
      <dl className="model-facts">
        <div>
          <dt>Name</dt>
          <dd data-testid="model-name">
            {model.name} <span className="version">{model.version}</span>
          </dd>
        </div>
        <div>
          <dt>Trained on</dt>
          <dd data-testid="model-training">
            {training.dataset}, {training.split} split
            {training.trained_on.length > 0 ? ` (${training.trained_on.join(' + ')}` : ''}
            {training.trained_on.length > 0 && songs !== null ? `, ${songs} songs` : ''}
            {training.trained_on.length > 0 ? ')' : ''}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{shortDate(model.created_at)}</dd>
        </div>
        {metrics ? (
          <>
            <div>
              <dt>Song accuracy ({metrics.split})</dt>
              <dd data-testid="model-accuracy">
                {percent(metrics.song_accuracy)} <span className="muted">of {metrics.songs} songs</span>
              </dd>
            </div>
            <div>
              <dt>Macro F1 ({metrics.split})</dt>
              <dd data-testid="model-f1">{metrics.song_macro_f1.toFixed(3)}</dd>
            </div>
          </>
        ) : null}
        <div className="wide">
          <dt>Genres ({model.labels.length})</dt>
          <dd className="genre-list">{model.labels.join(', ')}</dd>
        </div>
      </dl>
      {metrics ? (
        <details className="per-genre">
          <summary>Scores per genre ({metrics.split} split, song level)</summary>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Genre</th>
                  <th scope="col">Precision</th>
                  <th scope="col">Recall</th>
                  <th scope="col">F1</th>
                  <th scope="col">Songs</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(metrics.per_genre).map(([genre, scores]) => (
                  <tr key={genre}>
                    <th scope="row" className="genre-name">
                      {genre}
                    </th>
                    <td>{scores.precision.toFixed(2)}</td>
                    <td>{scores.recall.toFixed(2)}</td>
                    <td>{scores.f1.toFixed(2)}</td>
                    <td>{scores.support}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : (
        <p className="muted">No evaluation figures are recorded for this model.</p>
      )}
    </>
  )
}
