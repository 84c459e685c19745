import { describe, expect, it } from 'vitest'

import { currentTimeOf, isPlayerOrigin, seekMessage, youTubeEmbedUrl, youTubeVideoId } from '../youtube.ts'

const ID = 'dQw4w9WgXcQ'

describe('youTubeVideoId', () => {
  it.each([
    `https://www.youtube.com/watch?v=${ID}`,
    `https://youtube.com/watch?v=${ID}&t=42s&list=PL123`,
    `https://m.youtube.com/watch?v=${ID}`,
    `https://music.youtube.com/watch?v=${ID}&feature=share`,
    `https://youtu.be/${ID}`,
    `https://youtu.be/${ID}?si=abc&t=10`,
    `https://www.youtube.com/shorts/${ID}`,
    `https://www.youtube.com/embed/${ID}?start=3`,
    `https://www.youtube-nocookie.com/embed/${ID}`,
    `https://www.youtube.com/live/${ID}`,
    `  http://www.youtube.com/watch?v=${ID}  `,
  ])('finds the id in %s', (link) => {
    expect(youTubeVideoId(link)).toBe(ID)
  })

  it.each([
    null,
    '',
    'not a link',
    'https://example.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch',
    'https://www.youtube.com/channel/UC1234567890',
    'https://www.youtube.com/playlist?list=PL1234567890',
    'https://youtu.be/',
    'https://www.yоutube.com/watch?v=dQw4w9WgXcQ', // Cyrillic "о"
    'ftp://youtu.be/dQw4w9WgXcQ',
  ])('finds none in %s', (link) => {
    expect(youTubeVideoId(link)).toBeNull()
  })
})

describe('the embedded player', () => {
  it('is the privacy-enhanced embed with its JavaScript API on', () => {
    const url = new URL(youTubeEmbedUrl(ID, 'http://localhost:8000'))
    expect(url.origin).toBe('https://www.youtube-nocookie.com')
    expect(url.pathname).toBe(`/embed/${ID}`)
    expect(url.searchParams.get('enablejsapi')).toBe('1')
    expect(url.searchParams.get('origin')).toBe('http://localhost:8000')
  })

  it('is told to seek with a seekTo command, and reports its time in infoDelivery messages', () => {
    expect(JSON.parse(seekMessage('p1', 12))).toEqual({ event: 'command', func: 'seekTo', args: [12, true], id: 'p1', channel: 'widget' })
    expect(currentTimeOf('{"event":"infoDelivery","info":{"currentTime":12.5,"playerState":1}}')).toBe(12.5)
    expect(currentTimeOf({ event: 'infoDelivery', info: { currentTime: 3 } })).toBe(3)
    expect(currentTimeOf('{"event":"infoDelivery","info":{"volume":50}}')).toBeNull()
    expect(currentTimeOf('{"event":"onReady"}')).toBeNull()
    expect(currentTimeOf('not json')).toBeNull()
    expect(isPlayerOrigin('https://www.youtube-nocookie.com')).toBe(true)
    expect(isPlayerOrigin('https://evil.example')).toBe(false)
  })
})
