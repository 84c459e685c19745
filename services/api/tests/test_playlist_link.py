"""Which links are taken for playlists without being told."""

from __future__ import annotations

import pytest

from genre_api.playlist_link import is_playlist_request, is_youtube_playlist


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf",
        "https://youtube.com/playlist?list=PL1&si=abc",
        "https://music.youtube.com/playlist?list=OLAK5uy_abc",
        "https://m.youtube.com/watch?list=PL1",
    ],
)
def test_youtube_links_with_a_list_and_no_video_are_playlists(url: str) -> None:
    assert is_youtube_playlist(url) and is_playlist_request(url, None)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1",  # a video in a playlist: that video
        "https://youtu.be/dQw4w9WgXcQ?list=PL1",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/playlist",
        "https://www.youtube.com/playlist?list=",
        "https://example.com/playlist?list=PL1",
        "https://www.youtube.com/playlist?list=PL1&list=PL2",  # ambiguous: refused as a link, not guessed at
        "http://127.0.0.1:8000/feed.xml",
    ],
)
def test_other_links_are_one_song_unless_the_client_says(url: str) -> None:
    assert not is_playlist_request(url, None)
    assert is_playlist_request(url, True)


def test_the_client_can_say_a_youtube_playlist_link_is_one_song() -> None:
    assert not is_playlist_request("https://www.youtube.com/playlist?list=PL1", False)
