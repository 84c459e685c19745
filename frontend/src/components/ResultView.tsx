import type { ClassificationResult } from '../api.ts'
import { duration, percent, rankGenres, seconds } from '../format.ts'
import { leftOutCount, windowCounts } from '../windowKinds.ts'
import { LoudnessNote } from './LoudnessNote.tsx'
import { OutsideNote } from './OutsideNote.tsx'
import { SongTagList } from './SongTagList.tsx'
import { VotingNote } from './VotingNote.tsx'

/** Below this song-level probability the page says the model is unsure. */
export const UNSURE_BELOW = 0.5

interface Props {
  result: ClassificationResult
}

/** How the song's probabilities were made from its windows', in words (older results say nothing: plain mean). */
export function aggregationInWords(result: ClassificationResult): string {
  const counts = windowCounts(result)
  // Only the windows that voted were combined; say so when some were left out.
  const windows = leftOutCount(counts) > 0 ? `its ${counts.music} music windows` : `its ${result.windows.length} windows`
  return result.song_aggregation === 'mean_log_probability'
    ? `The song's probabilities are the normalised geometric mean of ${windows}' (their log-probabilities averaged), as this model's genre layer was fit.`
    : `The song's probabilities are the mean of ${windows}'.`
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

export function ResultView({ result }: Props) {
  const ranked = rankGenres(result.labels, result.song_probabilities)
  const unsure = result.top_probability < UNSURE_BELOW
  const runnersUp = ranked.filter(([genre, p]) => genre !== result.top_genre && p > 0).slice(0, 2)
  const windows = result.windows.length

  return (
    <section className="card result" data-testid="result" aria-labelledby="result-heading">
      <h2 id="result-heading" className="visually-hidden">
        Result
      </h2>
      <div className={`top${unsure ? ' unsure' : ''}`}>
        <span className="top-caption">{unsure ? 'Best guess' : 'Genre'}</span>
        <span className="top-genre genre-name" data-testid="top-genre">
          {result.top_genre}
        </span>
        <span className="top-confidence">
          <strong>{percent(result.top_probability)}</strong> confidence
        </span>
      </div>
      <VotingNote counts={windowCounts(result)} />

      {unsure ? (
        <p className="unsure-note" data-testid="unsure">
          The model is unsure about this song: its best guess, {result.top_genre}, gets only{' '}
          {percent(result.top_probability)}.
          {runnersUp.length > 0
            ? ` It could also be ${listInWords(runnersUp.map(([genre, p]) => `${genre} (${percent(p)})`))}.`
            : ''}
        </p>
      ) : null}
      <OutsideNote tags={result.tags} />
      <SongTagList tags={result.tags} />

      <h3 className="bars-heading" id="bars-heading">
        All genres
      </h3>
      <ol className="bars" aria-labelledby="bars-heading">
        {ranked.map(([genre, p]) => (
          <li
            key={genre}
            className={`bar${genre === result.top_genre ? ' is-top' : ''}`}
            data-testid="prob-bar"
            data-genre={genre}
            data-probability={p}
          >
            <span className="bar-label genre-name">{genre}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: percent(p) }} />
            </span>
            <span className="bar-value">{percent(p)}</span>
          </li>
        ))}
      </ol>
      <p className="muted aggregation" data-testid="aggregation">
        {aggregationInWords(result)}
      </p>
      <LoudnessNote loudness={result.loudness_lufs} />

      <dl className="facts">
        <div>
          <dt>Duration</dt>
          <dd data-testid="duration">{duration(result.duration_seconds)}</dd>
        </div>
        <div>
          <dt>Windows analysed</dt>
          <dd data-testid="windows">
            {windows} × {seconds(result.window_seconds)}
          </dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{result.model_version}</dd>
        </div>
      </dl>
    </section>
  )
}
