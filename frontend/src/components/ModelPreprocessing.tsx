import type { ModelManifest } from '../api.ts'
import { lufs, percent } from '../format.ts'

/** The music detector's default threshold, when the manifest names the output but not its threshold. */
const DEFAULT_MUSIC_THRESHOLD = 0.5

/** What is done to a song before the model hears it, one plain sentence per step the manifest records. */
export function preprocessingSteps(model: ModelManifest): string[] {
  const steps: string[] = []
  const preprocessing = model.preprocessing
  if (typeof preprocessing?.loudness_target_lufs === 'number') {
    steps.push(
      `Every song is brought to ${lufs(preprocessing.loudness_target_lufs)} (its integrated loudness, ITU-R BS.1770) ` +
        'before the model hears it, so how loud it was mastered or recorded does not change the answer.',
    )
  }
  if (preprocessing?.align_windows_to_music === true) {
    steps.push('After silence at the start, the 3-second windows are laid out from the first note of the music.')
  }
  if (typeof preprocessing?.silence_below_song_lu === 'number') {
    steps.push(
      `Windows ${preprocessing.silence_below_song_lu} LU quieter than the song as a whole are silence ` +
        '(digital silence, room tone, the tail of a fade) and are left out.',
    )
  }
  if (model.outputs?.music) {
    const threshold = model.outputs.music_threshold ?? DEFAULT_MUSIC_THRESHOLD
    steps.push(
      'A music detector scores every window; windows it hears as speech, applause or noise ' +
        `(music score under ${percent(threshold, 0)}) are left out too.`,
    )
  }
  return steps
}

/** The Model page's "before it listens": shown only for models whose manifest records any preparation. */
export function ModelPreprocessing({ model }: { model: ModelManifest }) {
  const steps = preprocessingSteps(model)
  if (steps.length === 0) return null
  return (
    <>
      <h3 className="subheading" id="preprocessing-heading">
        Before it listens
      </h3>
      <ul className="preprocessing" aria-labelledby="preprocessing-heading" data-testid="model-preprocessing">
        {steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ul>
      <p className="hint">
        The song’s genre comes from the windows that are left; the timeline shows the others, and a recording with no
        music in it at all gets no genre.
      </p>
    </>
  )
}
