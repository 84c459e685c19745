import { useId } from 'react'

import type { SongTags } from '../api.ts'
import { eraMoodSentence, referenceSongs, TAG_GROUPS, tagAriaLabel, tagsOf, tagTitle, topShare } from '../tags.ts'

interface Props {
  /** The result's tags; null or absent when the model gives none. */
  tags: SongTags | null | undefined
}

/**
 * What the song sounds like beyond its genre: its tags as chips, by group, each with its rank against the
 * reference songs ("top 2 %"), never the raw score, which is no probability.
 */
export function SongTagList({ tags }: Props) {
  const id = useId()
  if (!tags) {
    return (
      <p className="muted tags-none" data-testid="tags-none">
        This model gives no tags.
      </p>
    )
  }
  const songs = referenceSongs(tags)
  const groups = TAG_GROUPS.map(({ group, heading }) => ({ group, heading, items: tagsOf(tags, group) })).filter(
    ({ items }) => items.length > 0,
  )
  const sentence = eraMoodSentence(tags)

  return (
    <section className="song-tags" data-testid="tags" aria-labelledby={`${id}-heading`}>
      <h3 className="bars-heading" id={`${id}-heading`}>
        Tags
      </h3>
      {groups.length === 0 ? (
        <p className="muted tags-empty" data-testid="tags-empty">
          Nothing stands out beyond the genre.
        </p>
      ) : (
        <>
          {sentence ? (
            <p className="tag-sentence" data-testid="tag-sentence">
              {sentence}
            </p>
          ) : null}
          <div className="tag-groups">
            {groups.map(({ group, heading, items }) => (
              <div className="tag-group" key={group} data-testid="tag-group" data-group={group}>
                <span className="tag-group-name" id={`${id}-${group}`}>
                  {heading}
                </span>
                <ul className="tag-chips" aria-labelledby={`${id}-${group}`}>
                  {items.map((tag) => (
                    <li
                      key={tag.tag}
                      className="tag-chip"
                      data-testid="tag-chip"
                      data-tag={tag.tag}
                      data-top={topShare(tag)}
                      aria-label={tagAriaLabel(tag)}
                      title={tagTitle(tag, songs)}
                    >
                      <span className="tag-label">{tag.label}</span>
                      <span className="tag-rank">top {topShare(tag)} %</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </>
      )}
      <p className="muted aggregation tags-source" data-testid="tags-source">
        Tags from {tags.source}, each ranked against {tags.reference}: “top N %” means only about N % of those songs
        score as high on it. A rank, not a probability.
      </p>
    </section>
  )
}
