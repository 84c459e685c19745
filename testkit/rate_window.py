"""Rate-limit tests against the API's fixed one-minute window.

A test that spends a limit and then expects 429 fails by chance when the minute turns over half-way: the
count starts again at zero (CI saw a 40 MB upload get 422 instead of 429 that way). Such a test first waits
until the current window has the time it needs left.
"""

from __future__ import annotations

import time

from genre_core.rate_counter import seconds_to_next_window


def wait_for_window_with(seconds_needed: float) -> None:
    """Sleep, if need be, into the next one-minute window so that `seconds_needed` of it are left."""
    left = seconds_to_next_window(time.time())
    if left < seconds_needed:
        time.sleep(left + 0.5)
