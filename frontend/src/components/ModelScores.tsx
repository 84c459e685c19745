import type { EvaluationMetrics } from '../api.ts'
import { percent } from '../format.ts'

interface Props {
  metrics: EvaluationMetrics
  /** How many genres the model chooses from (chance level is one in that many). */
  genres: number
  /** The splits the model learned from: scores on one of them would not be held out. */
  trainedOn: string[]
}

/** The headline figures, measured on songs the model did not learn from. */
export function ModelScores({ metrics, genres, trainedOn }: Props) {
  const heldOut = !trainedOn.includes(metrics.split)
  return (
    <>
      <p className="scores-intro">
        Measured on the <strong>{metrics.split}</strong> split: {metrics.songs.toLocaleString('en-US')} songs (
        {metrics.windows.toLocaleString('en-US')} windows)
        {metrics.measured_on === 'train-only fit'
          ? ', by the same training recipe fit without them; the served model was then refit on these songs too, so expect real songs to score about this much.'
          : heldOut
            ? ' the model never heard while learning.'
            : ', which the model also learned from — expect real songs to score lower.'}
        {genres > 0 ? ` Guessing would be right ${percent(1 / genres, 0)} of the time.` : ''}
      </p>
      <dl className="score-tiles">
        <div>
          <dt>Song accuracy</dt>
          <dd data-testid="model-accuracy">
            {percent(metrics.song_accuracy)} <span className="muted">of {metrics.songs.toLocaleString('en-US')} songs</span>
          </dd>
        </div>
        <div>
          <dt>Window accuracy</dt>
          <dd data-testid="model-window-accuracy">
            {percent(metrics.window_accuracy)} <span className="muted">of {metrics.windows.toLocaleString('en-US')} windows</span>
          </dd>
        </div>
        <div>
          <dt>Balanced accuracy</dt>
          <dd data-testid="model-balanced-accuracy">
            {percent(metrics.song_balanced_accuracy)} <span className="muted">songs, mean over genres</span>
          </dd>
        </div>
        <div>
          <dt>Macro F1</dt>
          <dd>
            <span data-testid="model-f1">{metrics.song_macro_f1.toFixed(3)}</span>{' '}
            <span className="muted">
              songs · <span data-testid="model-window-f1">{metrics.window_macro_f1.toFixed(3)}</span> windows
            </span>
          </dd>
        </div>
      </dl>
    </>
  )
}
