/**
 * Failures of a job that the page explains beyond the server's message: a title saying what happened,
 * and what to try instead. The server's message stays the body of the alert; codes not listed here
 * show it alone.
 */

export interface FailureExplanation {
  title: string
  /** What to try instead, when there is something to try. */
  hint?: string
  /** The message to show if the server sent none. */
  fallbackMessage: string
}

const EXPLANATIONS: Record<string, FailureExplanation> = {
  not_music: {
    title: 'No music found',
    hint: 'The genre is told from music only. Try a song, or a recording where the music is not drowned out by talk or crowd noise.',
    fallbackMessage:
      'No music was found: every part of the audio sounds like speech, applause or noise, so there is no genre to tell.',
  },
  silent_audio: {
    title: 'Nothing to hear',
    hint: 'Check that the file or video has sound.',
    fallbackMessage: 'The audio is silent: there is nothing to classify.',
  },
}

/** The page's explanation of a failed job's error code, or null when the server's message says it all. */
export function explainFailure(code: string): FailureExplanation | null {
  return EXPLANATIONS[code] ?? null
}
