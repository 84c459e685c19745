import { useRef, useState } from 'react'

import type { ClassificationResult, JobSource } from '../api.ts'
import { rankGenres, seconds } from '../format.ts'
import type { PlayerHandle } from '../player.ts'
import { windowAt } from '../timeline.ts'
import { useObjectUrl } from '../useObjectUrl.ts'
import { leftOutStretches } from '../windowKinds.ts'
import { youTubeVideoId } from '../youtube.ts'
import { AudioPlayer } from './AudioPlayer.tsx'
import { GenreLegend } from './GenreLegend.tsx'
import { LeftOutLegend } from './LeftOutLegend.tsx'
import { TimelineChart } from './TimelineChart.tsx'
import { TimelineSections } from './TimelineSections.tsx'
import { TimelineTable } from './TimelineTable.tsx'
import { WindowDetail } from './WindowDetail.tsx'
import { YouTubePlayer } from './YouTubePlayer.tsx'

interface Props {
  result: ClassificationResult
  source: JobSource
  /** The uploaded file, while this browser still has it (not after a reload): it can then be played here. */
  file?: File | null
}

/**
 * The song over time: a player when there is one (the YouTube video, or the uploaded file), the
 * stacked-area timeline of its windows, their colours, the chosen window's genres, and the same in words.
 */
export function SongTimeline({ result, source, file }: Props) {
  const player = useRef<PlayerHandle>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [hovered, setHovered] = useState<number | null>(null)
  const [position, setPosition] = useState<number | null>(null)
  const audioUrl = useObjectUrl(file)
  const videoId = source.kind === 'url' ? youTubeVideoId(source.url) : null
  const stackOrder = rankGenres(result.labels, result.song_probabilities).map(([genre]) => genre)
  const leftOutKinds = new Set(leftOutStretches(result.windows).map((stretch) => stretch.kind))

  const onSelectWindow = (index: number, startSeconds: number) => {
    setSelected(index)
    player.current?.seekTo(startSeconds)
  }

  // The chosen window follows the music while it plays.
  const lastTime = useRef(0)
  const onTime = (time: number) => {
    if (Math.abs(time - lastTime.current) > 0.01) setSelected(windowAt(result.windows, time))
    lastTime.current = time
    setPosition(time)
  }

  const hasPlayer = videoId !== null || audioUrl !== null
  const title = source.kind === 'upload' ? (source.filename ?? 'the uploaded file') : 'the song'

  return (
    <section className="card timeline" data-testid="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Through the song</h2>
      {videoId !== null ? <YouTubePlayer ref={player} videoId={videoId} onTime={onTime} /> : null}
      {videoId === null && audioUrl !== null ? <AudioPlayer ref={player} src={audioUrl} title={title} onTime={onTime} /> : null}

      {result.windows.length === 0 ? (
        <p className="muted">The song is too short for a timeline.</p>
      ) : (
        <>
          <p className="hint timeline-hint">
            Genre probabilities of each {seconds(result.window_seconds)} window.{' '}
            {hasPlayer ? 'Click the timeline to play from there.' : 'Click the timeline to see a moment’s genres.'}
          </p>
          <TimelineChart
            result={result}
            stackOrder={stackOrder}
            selected={selected}
            position={hasPlayer ? (position ?? 0) : null}
            onSelectWindow={onSelectWindow}
            onHoverWindow={setHovered}
          />
          <GenreLegend labels={result.labels} genres={stackOrder} />
          <LeftOutLegend kinds={leftOutKinds} />
          <WindowDetail result={result} index={hovered ?? selected} />
          <TimelineSections result={result} />
          <TimelineTable result={result} />
        </>
      )}
    </section>
  )
}
