import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { ModelCard } from '../components/ModelCard.tsx'
import { mockApi, sampleModel, sampleTagReference } from './fixtures.ts'

describe('ModelCard', () => {
  it('shows the model, what it was trained on and its validation figures', async () => {
    mockApi({ 'GET /models/current': { body: sampleModel() } })
    render(<ModelCard />)

    expect((await screen.findByTestId('model-name')).textContent).toBe('genre-cnn 2024.05.01-a1b2c3')
    expect(screen.getByTestId('model-training').textContent).toBe('gtzan, gtzan-filtered split (train, 443 songs)')
    expect(screen.getByTestId('model-accuracy').textContent).toBe('81.2% of 197 songs')
    expect(screen.getByTestId('model-f1').textContent).toBe('0.793')
    expect(screen.getByTestId('model-card').textContent).toContain('Measured on the valid split: 197 songs (1,970 windows) the model never heard')
  })

  it('says when the figures come from a train-only fit and the served weights were refit on those songs', async () => {
    const model = sampleModel()
    model.training.trained_on = ['train', 'valid']
    model.metrics = { ...model.metrics!, measured_on: 'train-only fit' }
    mockApi({ 'GET /models/current': { body: model } })
    render(<ModelCard />)

    await screen.findByTestId('model-accuracy')
    const text = screen.getByTestId('model-card').textContent
    expect(text).toContain('by the same training recipe fit without them; the served model was then refit on these songs too')
    expect(text).not.toContain('never heard')
  })

  it('says how the model was trained: epochs, or a pretrained network with a fitted genre layer', async () => {
    const trained = sampleModel()
    trained.training = { ...trained.training, epochs: 40, training_seconds: 420 }
    mockApi({ 'GET /models/current': { body: trained } })
    const { unmount } = render(<ModelCard />)
    expect((await screen.findByTestId('model-run')).textContent).toBe('40 epochs, 7 min')
    unmount()

    const pretrained = sampleModel()
    pretrained.training = { ...pretrained.training, epochs: 0, training_seconds: 5 }
    mockApi({ 'GET /models/current': { body: pretrained } })
    render(<ModelCard />)
    expect((await screen.findByTestId('model-run')).textContent).toBe('pretrained network, genre layer fit on its embeddings')
  })

  it('says how a song is made from its windows, as the manifest records', async () => {
    mockApi({ 'GET /models/current': { body: sampleModel() } })
    const { unmount } = render(<ModelCard />)
    expect((await screen.findByTestId('model-aggregation')).textContent).toBe('mean of its windows’ probabilities')
    unmount()

    mockApi({ 'GET /models/current': { body: sampleModel({ song_aggregation: 'mean_log_probability' }) } })
    render(<ModelCard />)
    expect((await screen.findByTestId('model-aggregation')).textContent).toBe(
      'geometric mean of its windows’ probabilities',
    )
  })

  it('says when no metrics are recorded, and shows an API error in words', async () => {
    mockApi({ 'GET /models/current': { body: sampleModel({ metrics: null }) } })
    const { unmount } = render(<ModelCard />)
    expect(await screen.findByText('No evaluation figures are recorded for this model.')).toBeTruthy()
    expect(screen.queryByTestId('model-accuracy')).toBeNull()
    unmount()

    mockApi({
      'GET /models/current': { status: 503, body: { error: { code: 'model_unavailable', message: 'No model is loaded.' } } },
    })
    render(<ModelCard />)
    const message = await screen.findByText(/No model is loaded\./)
    expect(message.dataset.errorCode).toBe('model_unavailable')
  })

  it('says in plain words how songs are prepared, from the manifest, only when it records any preparation', async () => {
    const screened = sampleModel({
      preprocessing: { loudness_target_lufs: -20, align_windows_to_music: true, silence_below_song_lu: 35 },
      outputs: { genre: 'genre', music: 'music', music_threshold: 0.5 },
    })
    mockApi({ 'GET /models/current': { body: screened } })
    const { unmount } = render(<ModelCard />)
    const steps = [...(await screen.findByTestId('model-preprocessing')).querySelectorAll('li')].map((item) => item.textContent)
    expect(steps).toHaveLength(4)
    expect(steps[0]).toMatch(/^Every song is brought to −20 LUFS/)
    expect(steps[1]).toContain('first note of the music')
    expect(steps[2]).toMatch(/^Windows 35 LU quieter than the song as a whole are silence/)
    expect(steps[3]).toContain('speech, applause or noise (music score under 50%) are left out')
    unmount()

    // Loudness only, no detector: just that step.
    mockApi({
      'GET /models/current': { body: sampleModel({ preprocessing: { loudness_target_lufs: -20 }, outputs: null }) },
    })
    const loudnessOnly = render(<ModelCard />)
    expect((await screen.findByTestId('model-preprocessing')).querySelectorAll('li')).toHaveLength(1)
    loudnessOnly.unmount()

    // What the API answers for a model trained without preparation, and a manifest from before the field.
    for (const model of [
      sampleModel({ preprocessing: { loudness_target_lufs: null, align_windows_to_music: false, silence_below_song_lu: null }, outputs: null }),
      sampleModel(),
    ]) {
      mockApi({ 'GET /models/current': { body: model } })
      const view = render(<ModelCard />)
      await screen.findByTestId('model-name')
      expect(screen.queryByTestId('model-preprocessing')).toBeNull()
      view.unmount()
    }
  })

  it('explains where a result’s tags come from, their limits and how they are shown, for a model with tags', async () => {
    const tagNames = Array.from({ length: 50 }, (_, index) => `tag${index}`)
    const model = sampleModel({
      outputs: { genre: 'genre', music: 'music', music_threshold: 0.5, tags: 'tags', tag_names: tagNames, tag_reference: sampleTagReference() },
    })
    mockApi({ 'GET /models/current': { body: model } })
    render(<ModelCard />)

    const section = await screen.findByTestId('model-tags')
    expect(section.dataset.tags).toBe('true')
    const text = section.textContent ?? ''
    expect(text).toContain('musicnn’s own output layer, trained on the Million Song Dataset to score its 50 most common last.fm tags')
    expect(text).toContain('last.fm users')
    expect(text).toContain('noisy, unbalanced')
    expect(text).toContain('eras and moods are rough')
    expect(text).toContain('scores are not probabilities')
    expect(screen.getByTestId('model-tags-reference').textContent).toContain(
      'Reference: 505 songs, the training songs (gtzan + 4q-mer), each its mean over its windows.',
    )
    expect(text).toContain('“Outside the ten genres” is said when the genre answer is unsure and a style the ten genres do not cover')
    expect(screen.getByRole('list', { name: 'Tags' })).toBeTruthy()
    // The reference's quantiles are for the service, not for people.
    expect(text).not.toContain('0.36')
  })

  it('says a model without a tag output gives no tags', async () => {
    for (const outputs of [{ genre: 'genre', music: 'music', tags: null, tag_names: null, tag_reference: null }, null]) {
      mockApi({ 'GET /models/current': { body: sampleModel({ outputs }) } })
      const view = render(<ModelCard />)
      const section = await screen.findByTestId('model-tags')
      expect(section.dataset.tags).toBe('false')
      expect(section.textContent).toBe('This model gives no tags: only the genre.')
      expect(screen.queryByTestId('model-tags-reference')).toBeNull()
      view.unmount()
    }
  })
})
