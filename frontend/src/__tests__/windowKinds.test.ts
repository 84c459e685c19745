import { describe, expect, it } from 'vitest'

import { lufs } from '../format.ts'
import { genreSections, timelinePoints } from '../timeline.ts'
import { leftOutDescription, leftOutStretches, stretchInWords, votingInWords, windowCounts } from '../windowKinds.ts'
import { sampleResult, screenedResult } from './fixtures.ts'

describe('windows left out of the genre', () => {
  it('says how many windows voted and why the others did not, and nothing when all voted', () => {
    expect(votingInWords({ music: 57, silence: 4, not_music: 3 })).toBe(
      'Based on 57 of 64 windows: 4 left out as silence, 3 as speech or noise.',
    )
    expect(votingInWords({ music: 60, silence: 4, not_music: 0 })).toBe('Based on 60 of 64 windows: 4 left out as silence.')
    expect(votingInWords({ music: 61, silence: 0, not_music: 3 })).toBe(
      'Based on 61 of 64 windows: 3 left out as speech or noise.',
    )
    expect(votingInWords({ music: 64, silence: 0, not_music: 0 })).toBeNull()
  })

  it('takes the result’s counts, counts the windows’ kinds without them, and treats older results as all music', () => {
    expect(windowCounts(screenedResult())).toEqual({ music: 5, silence: 2, not_music: 1 })
    expect(windowCounts(screenedResult({ window_counts: null }))).toEqual({ music: 5, silence: 2, not_music: 1 })
    expect(windowCounts(sampleResult())).toEqual({ music: 68, silence: 0, not_music: 0 })
  })

  it('finds the left-out stretches and names them, with the music score where there is one', () => {
    const { windows } = screenedResult()
    const stretches = leftOutStretches(windows)
    expect(stretches.map(stretchInWords)).toEqual(['0:00–0:06 silence', '0:12–0:15 speech or noise'])
    expect(stretches.map((stretch) => [stretch.first, stretch.windows])).toEqual([
      [0, 2],
      [4, 1],
    ])
    expect(leftOutDescription(windows[0])).toBe('silence')
    expect(leftOutDescription(windows[4])).toBe('speech or noise (music 12%)')
    expect(leftOutDescription({ ...windows[4], music_score: null })).toBe('speech or noise')
    expect(leftOutDescription(windows[2])).toBeNull()
    expect(leftOutStretches(sampleResult().windows)).toEqual([])
  })

  it('builds sections from voting windows only: a speech window neither makes nor cuts one', () => {
    const result = screenedResult()
    const sections = genreSections(result)
    expect(sections).toEqual([
      { genre: 'rock', startSeconds: 6, endSeconds: 18, windows: 3 },
      { genre: 'metal', startSeconds: 18, endSeconds: 24, windows: 2 },
    ])
    expect(genreSections(result, 2).map((section) => section.genre)).toEqual(['rock', 'metal'])
  })

  it('does not colour left-out windows as a genre on the timeline', () => {
    const points = timelinePoints(screenedResult())
    // points[0] is the left edge, then one point per window.
    const total = (index: number) => Object.values(points[index].probabilities).reduce((sum, p) => sum + p, 0)
    expect(total(1)).toBe(0)
    expect(total(5)).toBe(0)
    expect(points[5].probabilities.jazz).toBe(0)
    expect(total(3)).toBeCloseTo(1)
  })

  it('writes loudness with a true minus sign', () => {
    expect(lufs(-9.84)).toBe('−9.8 LUFS')
    expect(lufs(-20)).toBe('−20 LUFS')
  })
})
