import { useEffect, useState } from 'react'

import { ApiError, getCurrentModel, type ModelManifest } from '../api.ts'
import { ConfusionMatrix } from './ConfusionMatrix.tsx'
import { F1Bars, FEW_SONGS } from './F1Bars.tsx'
import { ModelFacts } from './ModelFacts.tsx'
import { ModelPreprocessing } from './ModelPreprocessing.tsx'
import { ModelScores } from './ModelScores.tsx'
import { ModelTags } from './ModelTags.tsx'
import { PerGenreTable } from './PerGenreTable.tsx'

type Loaded = { status: 'loading' } | { status: 'ready'; model: ModelManifest } | { status: 'error'; error: ApiError }

/** The Model page: the card of the model the service runs, read from its artifact's manifest. */
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
  const { metrics } = model
  const fewSongs = metrics
    ? Object.entries(metrics.per_genre)
        .filter(([, scores]) => scores.support < FEW_SONGS)
        .map(([genre]) => genre)
    : []
  return (
    <>
      <ModelFacts model={model} />
      <ModelPreprocessing model={model} />
      {metrics ? (
        <>
          <h3 className="subheading">How well it does</h3>
          <ModelScores metrics={metrics} genres={model.labels.length} trainedOn={model.training.trained_on} />

          <h3 className="subheading" id="f1-heading">
            F1 per genre
          </h3>
          <p className="hint">
            F1 weighs precision (when it says “jazz”, is it jazz?) and recall (does it find the jazz songs?); 1 is perfect.
          </p>
          <F1Bars labels={model.labels} perGenre={metrics.per_genre} />
          {fewSongs.length > 0 ? (
            <p className="caveat" data-testid="few-songs">
              The scores of {fewSongs.join(', ')} rest on fewer than {FEW_SONGS} songs each: take them with a grain of salt.
            </p>
          ) : null}
          <PerGenreTable perGenre={metrics.per_genre} split={metrics.split} />

          <h3 className="subheading">What it mistakes for what</h3>
          <ConfusionMatrix labels={model.labels} matrix={metrics.confusion_matrix} split={metrics.split} />
        </>
      ) : (
        <p className="muted">No evaluation figures are recorded for this model.</p>
      )}
      <ModelTags model={model} />
    </>
  )
}
