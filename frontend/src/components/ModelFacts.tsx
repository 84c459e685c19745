import type { ModelManifest } from '../api.ts'
import { shortDate } from '../format.ts'
import { formatBytes } from '../validation.ts'

function trainedSongs(model: ModelManifest): number | null {
  const counts = model.training.trained_on.map((part) => model.training.songs_per_split?.[part])
  if (counts.length === 0 || counts.some((count) => typeof count !== 'number')) return null
  return (counts as number[]).reduce((sum, count) => sum + count, 0)
}

function trainingRun(model: ModelManifest): string | null {
  const { epochs, training_seconds: trainingSeconds } = model.training
  const parts: string[] = []
  // 0 epochs: a pretrained network whose genre layer was fit in one go (musicnn); its fit takes seconds.
  if (epochs === 0) parts.push('pretrained network, genre layer fit on its embeddings')
  if (typeof epochs === 'number' && epochs > 0) parts.push(`${epochs} epochs`)
  if (typeof trainingSeconds === 'number' && epochs !== 0) parts.push(`${Math.max(1, Math.round(trainingSeconds / 60))} min`)
  return parts.length > 0 ? parts.join(', ') : null
}

function modelSize(model: ModelManifest): string | null {
  const parts: string[] = []
  if (typeof model.parameters === 'number') parts.push(`${model.parameters.toLocaleString('en-US')} parameters`)
  if (typeof model.model_bytes === 'number') parts.push(formatBytes(model.model_bytes))
  return parts.length > 0 ? parts.join(' · ') : null
}

function inputWindow(model: ModelManifest): string | null {
  const window = model.feature_params?.window_seconds
  const mels = model.feature_params?.n_mels
  if (typeof window !== 'number') return null
  return `${window} s windows${typeof mels === 'number' ? `, ${mels}-band mel spectrogram` : ''}`
}

function songFromWindows(model: ModelManifest): string {
  return model.song_aggregation === 'mean_log_probability'
    ? 'geometric mean of its windows’ probabilities'
    : 'mean of its windows’ probabilities'
}

/** What the model is and what it learned from. */
export function ModelFacts({ model }: { model: ModelManifest }) {
  const { training } = model
  const songs = trainedSongs(model)
  const run = trainingRun(model)
  const size = modelSize(model)
  const input = inputWindow(model)
  const splits = Object.entries(training.songs_per_split ?? {})
    .filter(([, count]) => count > 0)
    .map(([part, count]) => `${part} ${count}`)
    .join(' · ')

  return (
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
      {splits ? (
        <div>
          <dt>Songs per split</dt>
          <dd data-testid="model-splits">{splits}</dd>
        </div>
      ) : null}
      <div>
        <dt>Created</dt>
        <dd>{shortDate(model.created_at)}</dd>
      </div>
      {run ? (
        <div>
          <dt>Training</dt>
          <dd data-testid="model-run">{run}</dd>
        </div>
      ) : null}
      {size ? (
        <div>
          <dt>Size</dt>
          <dd>{size}</dd>
        </div>
      ) : null}
      {input ? (
        <div>
          <dt>Listens to</dt>
          <dd>{input}</dd>
        </div>
      ) : null}
      <div>
        <dt>A song is the</dt>
        <dd data-testid="model-aggregation">{songFromWindows(model)}</dd>
      </div>
      <div className="wide">
        <dt>Genres ({model.labels.length})</dt>
        <dd className="genre-list">{model.labels.join(', ')}</dd>
      </div>
    </dl>
  )
}
