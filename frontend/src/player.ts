/** What the timeline asks of a player (the YouTube embed or an <audio> element). */
export interface PlayerHandle {
  /** Jump to this position (seconds from the start), keeping the play/pause state. */
  seekTo(seconds: number): void
}
