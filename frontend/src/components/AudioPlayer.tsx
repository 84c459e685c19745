import { useImperativeHandle, useRef, type Ref } from 'react'

import type { PlayerHandle } from '../player.ts'

interface Props {
  ref?: Ref<PlayerHandle>
  /** The audio's address (here a `blob:` address of the uploaded file). */
  src: string
  /** What is playing, for the label. */
  title: string
  /** The playback position changed (playing, or after a seek). */
  onTime: (seconds: number) => void
}

/** The uploaded file, played in the page; the timeline seeks it and follows its position. */
export function AudioPlayer({ ref, src, title, onTime }: Props) {
  const audioRef = useRef<HTMLAudioElement>(null)
  const report = () => {
    const audio = audioRef.current
    if (audio) onTime(audio.currentTime)
  }

  useImperativeHandle(
    ref,
    () => ({
      seekTo(seconds: number) {
        const audio = audioRef.current
        if (audio) audio.currentTime = seconds
      },
    }),
    [],
  )

  return (
    <div className="player audio-player">
      <audio
        ref={audioRef}
        src={src}
        controls
        preload="metadata"
        data-testid="audio-player"
        aria-label={`Play ${title}`}
        onTimeUpdate={report}
        onSeeked={report}
      />
    </div>
  )
}
