import type { ModelManifest } from '../api.ts'

/**
 * The Model page's "Tags": where a result's tags come from, what they cannot tell, how they are shown, and when
 * a song is said to be outside the ten genres; or that this model gives none.
 */
export function ModelTags({ model }: { model: ModelManifest }) {
  const outputs = model.outputs
  const reference = outputs?.tag_reference
  const count = outputs?.tag_names?.length
  return (
    <>
      <h3 className="subheading" id="model-tags-heading">
        Tags
      </h3>
      {outputs?.tags ? (
        <div className="model-tags" data-testid="model-tags" data-tags="true">
          <p className="model-tags-intro">
            Besides the genre, a result lists what the song sounds like: styles, eras, moods, voices and instruments.
            These tags come from musicnn’s own output layer, trained on the Million Song Dataset to score its{' '}
            {typeof count === 'number' && count > 0 ? count : 50} most common last.fm tags, the words last.fm users
            gave the songs.
          </p>
          <ul className="preprocessing" aria-labelledby="model-tags-heading">
            <li>
              They are crowd tags: noisy, unbalanced (far more songs are tagged “rock” than “house”) and centred on
              western pop; eras and moods are rough at best.
            </li>
            <li data-testid="model-tags-reference">
              Their scores are not probabilities, so the page shows each tag as the song’s rank against the model’s
              reference songs (“top 3 %”: only about 3 % of them score as high on it), and lists only the tags a song
              ranks high on.
              {reference ? (
                <>
                  {' '}
                  Reference: {reference.songs.toLocaleString('en-US')} songs, {reference.description}.
                </>
              ) : null}
            </li>
            <li>
              “Outside the ten genres” is said when the genre answer is unsure and a style the ten genres do not cover
              (electronic, house, punk, soul, funk, folk, ambient…) ranks very high: the top genre may then simply not
              apply.
            </li>
          </ul>
        </div>
      ) : (
        <p className="muted" data-testid="model-tags" data-tags="false">
          This model gives no tags: only the genre.
        </p>
      )}
    </>
  )
}
