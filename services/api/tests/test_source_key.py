"""Two links are the same song when they name the same YouTube video."""

from __future__ import annotations

import pytest

from genre_api.source_key import source_key


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://m.youtube.com/watch?list=PL123&v=dQw4w9WgXcQ",
        "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
    ],
)
def test_spellings_of_one_video_share_a_key(url: str) -> None:
    assert source_key(url) == "youtube:dQw4w9WgXcQ"


def test_other_links_are_keyed_by_their_url_without_fragment() -> None:
    assert source_key("http://127.0.0.1:8000/a.ogg#x") == "http://127.0.0.1:8000/a.ogg"
    assert source_key("https://www.youtube.com/watch?v=short") == "https://www.youtube.com/watch?v=short"
