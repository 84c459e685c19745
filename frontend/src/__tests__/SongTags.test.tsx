import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import type { SongTags } from '../api.ts'
import { ResultView } from '../components/ResultView.tsx'
import { eraMoodSentence, topShare } from '../tags.ts'
import { outsideTags, sampleResult, sampleTags } from './fixtures.ts'

/** Everything the page says about the result, visible text and the words of tooltips and screen-reader labels. */
function allWords(element: HTMLElement): string {
  const attributes = [...element.querySelectorAll('[title], [aria-label]')].flatMap((node) => [
    node.getAttribute('title') ?? '',
    node.getAttribute('aria-label') ?? '',
  ])
  return [element.textContent ?? '', ...attributes].join('\n')
}

describe('the result’s tags', () => {
  it('shows the tags as chips grouped under their headings, each with its rank as “top N %”', () => {
    render(<ResultView result={sampleResult({ tags: sampleTags() })} />)

    const groups = screen.getAllByTestId('tag-group')
    expect(groups.map((group) => group.dataset.group)).toEqual(['style', 'era', 'mood', 'voice_instrument'])
    expect(groups.map((group) => group.querySelector('.tag-group-name')?.textContent)).toEqual([
      'Sounds like',
      'Era',
      'Mood',
      'Voice & instruments',
    ])
    const chips = (group: HTMLElement) =>
      within(group)
        .getAllByTestId('tag-chip')
        .map((chip) => [chip.querySelector('.tag-label')?.textContent, chip.querySelector('.tag-rank')?.textContent])
    // Strongest first, as the result lists them; 98.7th percentile → top 1 %, 97.6 → 2, 90.3 → 10.
    expect(chips(groups[0])).toEqual([
      ['electronic', 'top 1 %'],
      ['house', 'top 2 %'],
      ['dance', 'top 10 %'],
    ])
    expect(chips(groups[1])).toEqual([['1980s', 'top 5 %']])
    expect(chips(groups[2])).toEqual([['mellow', 'top 7 %']])
    expect(chips(groups[3])).toEqual([['female vocals', 'top 9 %']])

    // The tooltip says what the rank means, against how many songs.
    expect(screen.getAllByTestId('tag-chip')[0].getAttribute('title')).toBe(
      'Scores higher than 98.7 % of the 505 reference songs on this tag',
    )
    // Where the tags come from and what they are measured against, in the small print.
    const source = screen.getByTestId('tags-source').textContent ?? ''
    expect(source).toContain("musicnn's Million Song Dataset output")
    expect(source).toContain('505 songs: the training songs (gtzan + 4q-mer)')
    expect(source).toContain('not a probability')
  })

  it('never shows a tag’s raw score, as a percentage or otherwise', () => {
    const tags = sampleTags()
    render(<ResultView result={sampleResult({ tags })} />)
    const words = allWords(screen.getByTestId('result'))

    expect(words).not.toMatch(/\b31(\.0)?\s*%/) // electronic's score is 0.31
    expect(words).not.toContain('0.31')
    for (const tag of tags.tags) {
      expect(words).not.toContain(`${(tag.score * 100).toFixed(1)}%`)
      expect(words).not.toContain(`${(tag.score * 100).toFixed(1)} %`)
      expect(words).not.toContain(String(tag.score))
    }
  })

  it('names each group’s list and each chip for screen readers', () => {
    render(<ResultView result={sampleResult({ tags: sampleTags() })} />)

    const styles = screen.getByRole('list', { name: 'Sounds like' })
    expect(within(styles).getAllByRole('listitem').map((item) => item.getAttribute('aria-label'))).toEqual([
      'electronic, top 1 percent of reference songs',
      'house, top 2 percent of reference songs',
      'dance, top 10 percent of reference songs',
    ])
    expect(screen.getByRole('list', { name: 'Era' })).toBeTruthy()
    expect(screen.getByRole('list', { name: 'Mood' })).toBeTruthy()
    const voice = screen.getByRole('list', { name: 'Voice & instruments' })
    expect(within(voice).getByRole('listitem', { name: 'female vocals, top 9 percent of reference songs' })).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Tags' })).toBeTruthy()
  })

  it('says the era and mood in words', () => {
    render(<ResultView result={sampleResult({ tags: sampleTags() })} />)
    expect(screen.getByTestId('tag-sentence').textContent).toBe('Sounds like the 1980s; mellow.')
  })

  it('puts the era and mood chips in one sentence, or none when the song ranks high on neither', () => {
    const withTags = (...names: Array<[string, string, 'era' | 'mood']>): SongTags =>
      sampleTags({
        tags: names.map(([tag, label, group], index) => ({ tag, label, group, score: 0.1, percentile: 99 - index })),
      })
    expect(eraMoodSentence(withTags(['70s', '1970s', 'era'], ['80s', '1980s', 'era'], ['chill', 'chill', 'mood'], ['Mellow', 'mellow', 'mood']))).toBe(
      'Sounds like the 1970s or the 1980s; chill and mellow.',
    )
    expect(eraMoodSentence(withTags(['oldies', 'oldies', 'era']))).toBe('Sounds like an oldie.')
    expect(eraMoodSentence(withTags(['sad', 'sad', 'mood'], ['beautiful', 'beautiful', 'mood'], ['Mellow', 'mellow', 'mood']))).toBe(
      'Sad, beautiful and mellow.',
    )
    expect(eraMoodSentence(sampleTags({ tags: sampleTags().tags.filter((tag) => tag.group === 'style') }))).toBeNull()

    render(<ResultView result={sampleResult({ tags: sampleTags({ tags: sampleTags().tags.slice(0, 2) }) })} />)
    expect(screen.queryByTestId('tag-sentence')).toBeNull()
    expect(screen.getAllByTestId('tag-chip')).toHaveLength(2)
  })

  it('ranks a tag at least “top 1 %”, and says so plainly at the very top', () => {
    const tag = { tag: 'rock', label: 'rock', group: 'style' as const, score: 0.97, percentile: 100 }
    expect(topShare(tag)).toBe(1)
    expect(topShare({ ...tag, percentile: 99.6 })).toBe(1)
    expect(topShare({ ...tag, percentile: 90 })).toBe(10)
    render(<ResultView result={sampleResult({ tags: sampleTags({ tags: [tag] }) })} />)
    const chip = screen.getByTestId('tag-chip')
    expect(chip.querySelector('.tag-rank')?.textContent).toBe('top 1 %')
    expect(chip.getAttribute('title')).toBe('Scores at least as high as all of the 505 reference songs on this tag')
  })

  it('says near the genre, in a note, when the song is probably none of the ten genres, with the tags behind it', () => {
    render(
      <ResultView result={sampleResult({ top_genre: 'disco', top_probability: 0.41, tags: outsideTags() })} />,
    )
    const note = screen.getByRole('note', { name: 'Outside the ten genres' })
    expect(note.textContent).toContain('This song is probably none of the ten genres the model knows')
    expect(within(note).getByTestId('outside-evidence').textContent).toBe('Behind it: electronic (top 1 %), house (top 2 %).')
    // Under the genre answer, before the chips and the bars.
    const top = screen.getByTestId('top-genre')
    expect(top.compareDocumentPosition(note) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(note.compareDocumentPosition(screen.getByTestId('tags')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect(note.compareDocumentPosition(screen.getAllByTestId('prob-bar')[0]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('shows no outside note when the song is not outside the ten, or has no tags', () => {
    const { unmount } = render(<ResultView result={sampleResult({ tags: sampleTags() })} />)
    expect(screen.queryByRole('note')).toBeNull()
    expect(screen.queryByTestId('outside-note')).toBeNull()
    expect(screen.getByTestId('result').textContent).not.toContain('none of the ten genres')
    unmount()
    render(<ResultView result={sampleResult({ tags: null })} />)
    expect(screen.queryByTestId('outside-note')).toBeNull()
  })

  it('says in a muted line that the model gives no tags, instead of an empty list, when tags is null or absent', () => {
    for (const result of [sampleResult({ tags: null }), sampleResult()]) {
      const { unmount } = render(<ResultView result={result} />)
      expect(screen.getByTestId('tags-none').textContent).toBe('This model gives no tags.')
      expect(screen.getByTestId('tags-none').classList.contains('muted')).toBe(true)
      expect(screen.queryByTestId('tag-chip')).toBeNull()
      expect(screen.queryByRole('list', { name: 'Sounds like' })).toBeNull()
      expect(screen.queryByTestId('tags-empty')).toBeNull()
      unmount()
    }
  })

  it('says nothing stands out when the song ranks high on no tag', () => {
    render(<ResultView result={sampleResult({ tags: sampleTags({ tags: [] }) })} />)
    expect(screen.getByTestId('tags-empty').textContent).toBe('Nothing stands out beyond the genre.')
    expect(screen.queryByTestId('tag-chip')).toBeNull()
    expect(screen.queryByTestId('tag-group')).toBeNull()
    expect(screen.queryByTestId('tag-sentence')).toBeNull()
    expect(screen.queryByTestId('tags-none')).toBeNull()
  })
})
