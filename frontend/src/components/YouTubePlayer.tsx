import { useCallback, useEffect, useEffectEvent, useId, useImperativeHandle, useRef, useState, type Ref } from 'react'

import type { PlayerHandle } from '../player.ts'
import { currentTimeOf, EMBED_ORIGIN, isPlayerOrigin, listeningMessage, seekMessage, youTubeEmbedUrl } from '../youtube.ts'

/** How often, and how many times, the page asks the player to send its events until it answers. */
const LISTEN_EVERY_MS = 1000
const LISTEN_TRIES = 15

interface Props {
  ref?: Ref<PlayerHandle>
  videoId: string
  /** The player reported its position. */
  onTime: (seconds: number) => void
}

/**
 * The privacy-enhanced YouTube embed, driven through postMessage (`seekTo`; `infoDelivery` gives
 * the position), so no YouTube script is loaded into this page. Without a connection the frame
 * shows nothing and the messages go nowhere; nothing else depends on it.
 */
export function YouTubePlayer({ ref, videoId, onTime }: Props) {
  const frameRef = useRef<HTMLIFrameElement>(null)
  const listenerId = useId()
  const heard = useRef(false)
  /** The player has answered: it loaded and listens (never, without a connection). */
  const [connected, setConnected] = useState(false)

  const send = useCallback((message: string) => {
    frameRef.current?.contentWindow?.postMessage(message, EMBED_ORIGIN)
  }, [])

  useImperativeHandle(ref, () => ({ seekTo: (seconds: number) => send(seekMessage(listenerId, seconds)) }), [send, listenerId])

  const onMessage = useEffectEvent((event: MessageEvent) => {
    if (event.source !== frameRef.current?.contentWindow || !isPlayerOrigin(event.origin)) return
    if (!heard.current) {
      heard.current = true
      setConnected(true)
    }
    const time = currentTimeOf(event.data)
    if (time !== null) onTime(time)
  })

  useEffect(() => {
    heard.current = false
    window.addEventListener('message', onMessage)
    let tries = 0
    const timer = setInterval(() => {
      tries += 1
      if (heard.current || tries > LISTEN_TRIES) clearInterval(timer)
      else send(listeningMessage(listenerId))
    }, LISTEN_EVERY_MS)
    return () => {
      window.removeEventListener('message', onMessage)
      clearInterval(timer)
    }
  }, [videoId, send, listenerId])

  return (
    <div className="player youtube-player">
      <iframe
        ref={frameRef}
        src={youTubeEmbedUrl(videoId, window.location.origin)}
        title="YouTube video player"
        data-testid="youtube-player"
        data-video-id={videoId}
        data-connected={connected}
        allow="autoplay; encrypted-media; picture-in-picture; fullscreen"
        referrerPolicy="strict-origin-when-cross-origin"
        allowFullScreen
        onLoad={() => send(listeningMessage(listenerId))}
      />
    </div>
  )
}
