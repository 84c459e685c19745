/**
 * YouTube links and the privacy-enhanced embedded player, controlled by postMessage so no
 * script from YouTube has to be loaded into the page.
 */

/** The origin the embedded player runs on (privacy-enhanced mode: no cookies until playback). */
export const EMBED_ORIGIN = 'https://www.youtube-nocookie.com'

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/
const YOUTUBE_HOSTS = new Set(['youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com'])
/** Paths whose second segment is the video id, e.g. /shorts/ID. */
const ID_PATHS = new Set(['shorts', 'embed', 'live', 'v', 'e'])

/**
 * The video id of a YouTube link, or null when the link is not to one video: youtube.com/watch?v=ID,
 * youtu.be/ID, m. / music. / www. hosts, /shorts/ID, /embed/ID, /live/ID.
 */
export function youTubeVideoId(link: string | null | undefined): string | null {
  if (!link) return null
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  const host = url.hostname.toLowerCase().replace(/^www\./, '')
  const segments = url.pathname.split('/').filter(Boolean)

  let candidate: string | null | undefined = null
  if (host === 'youtu.be') {
    candidate = segments[0]
  } else if (YOUTUBE_HOSTS.has(host)) {
    if (segments[0] === 'watch') candidate = url.searchParams.get('v')
    else if (segments.length >= 2 && ID_PATHS.has(segments[0])) candidate = segments[1]
  }
  return candidate && VIDEO_ID.test(candidate) ? candidate : null
}

/** The address of the privacy-enhanced embed of `videoId`, with its JavaScript API switched on. */
export function youTubeEmbedUrl(videoId: string, pageOrigin: string): string {
  const params = new URLSearchParams({ enablejsapi: '1', origin: pageOrigin, rel: '0', playsinline: '1' })
  return `${EMBED_ORIGIN}/embed/${encodeURIComponent(videoId)}?${params}`
}

/** A message the page sends to the player: start listening for its events, or call one of its functions. */
export type PlayerMessage =
  | { event: 'listening'; id: string; channel: 'widget' }
  | { event: 'command'; func: string; args: unknown[]; id: string; channel: 'widget' }

export function listeningMessage(id: string): string {
  const message: PlayerMessage = { event: 'listening', id, channel: 'widget' }
  return JSON.stringify(message)
}

export function seekMessage(id: string, seconds: number): string {
  const message: PlayerMessage = { event: 'command', func: 'seekTo', args: [seconds, true], id, channel: 'widget' }
  return JSON.stringify(message)
}

/** The playback position in a message from the player (`infoDelivery` with `info.currentTime`), if any. */
export function currentTimeOf(data: unknown): number | null {
  let parsed: unknown = data
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data)
    } catch {
      return null
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { event, info } = parsed as { event?: unknown; info?: unknown }
  if (event !== 'infoDelivery' && event !== 'initialDelivery') return null
  if (typeof info !== 'object' || info === null) return null
  const time = (info as { currentTime?: unknown }).currentTime
  return typeof time === 'number' && Number.isFinite(time) ? time : null
}

/** Whether a message comes from a YouTube player origin. */
export function isPlayerOrigin(origin: string): boolean {
  return origin === EMBED_ORIGIN || origin === 'https://www.youtube.com'
}
