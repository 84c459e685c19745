"""Listing playlists with yt-dlp: a podcast feed served from 127.0.0.1, and yt-dlp's metadata as it gives it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from genre_core.url_safety import UrlNotAllowed, parse_networks
from genre_worker.playlist import EmptyPlaylist, NotAPlaylist, PlaylistTooLong, list_playlist, playlist_of
from testkit.audio_server import CountingAudioServer, podcast_feed

LOCAL = parse_networks(["127.0.0.0/8"])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[CountingAudioServer]:
    folder = tmp_path / "served"
    folder.mkdir()
    server = CountingAudioServer(folder)
    yield server
    server.stop()


def _feed(served: CountingAudioServer, songs: int, clip: Path) -> str:
    entries = []
    for index in range(songs):
        (served.folder / f"episode-{index}.ogg").symlink_to(clip)
        entries.append(f"{served.base_url}/episode-{index}.ogg")
    (served.folder / "feed.xml").write_text(podcast_feed("Three songs", entries))
    return f"{served.base_url}/feed.xml"


def test_feed_is_listed_without_fetching_its_songs(served: CountingAudioServer, clip_path: Path) -> None:
    playlist = list_playlist(_feed(served, 3, clip_path), max_items=5, allowed_networks=LOCAL)
    assert playlist.title == "Three songs"
    # yt-dlp's smuggled data (in the fragment) is not part of the link.
    assert [entry.url for entry in playlist.entries] == [f"{served.base_url}/episode-{n}.ogg" for n in range(3)]
    assert [entry.title for entry in playlist.entries] == ["Episode 1", "Episode 2", "Episode 3"]
    assert sum(count for path, count in served.requests.items() if path.startswith("/episode-")) == 0


def test_feed_over_the_limit_is_refused(served: CountingAudioServer, clip_path: Path) -> None:
    with pytest.raises(PlaylistTooLong, match="at most 3"):
        list_playlist(_feed(served, 4, clip_path), max_items=3, allowed_networks=LOCAL)


def test_feed_exactly_at_the_limit_is_listed(served: CountingAudioServer, clip_path: Path) -> None:
    assert len(list_playlist(_feed(served, 3, clip_path), max_items=3, allowed_networks=LOCAL).entries) == 3


def test_empty_feed_is_refused(served: CountingAudioServer, clip_path: Path) -> None:
    with pytest.raises(EmptyPlaylist):
        list_playlist(_feed(served, 0, clip_path), max_items=3, allowed_networks=LOCAL)


def test_one_song_is_not_a_playlist(served: CountingAudioServer, clip_path: Path) -> None:
    (served.folder / "rock.ogg").symlink_to(clip_path)
    with pytest.raises(NotAPlaylist):
        list_playlist(f"{served.base_url}/rock.ogg", max_items=3, allowed_networks=LOCAL)


def test_playlist_on_a_loopback_address_is_refused_unless_allowed(served: CountingAudioServer, clip_path: Path) -> None:
    with pytest.raises(UrlNotAllowed):
        list_playlist(_feed(served, 1, clip_path), max_items=3)
    assert served.requests["/feed.xml"] == 0


def test_youtube_style_flat_metadata_keeps_links_titles_and_durations() -> None:
    # What yt-dlp's YouTube playlist extractor gives with extract_flat: a `url` reference per video.
    info = {
        "_type": "playlist",
        "title": "Mix",
        "playlist_count": 2,
        "entries": [
            {"_type": "url", "ie_key": "Youtube", "id": "dQw4w9WgXcQ", "title": "A",
             "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "duration": 213},
            {"_type": "url", "ie_key": "Youtube", "id": "9bZkp7q19f0", "title": None,
             "url": "https://www.youtube.com/watch?v=9bZkp7q19f0", "duration": None},
        ],
    }  # fmt: skip
    playlist = playlist_of(info, max_items=50)
    assert playlist.title == "Mix"
    assert [(e.url, e.title, e.duration_seconds) for e in playlist.entries] == [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "A", 213.0),
        ("https://www.youtube.com/watch?v=9bZkp7q19f0", None, None),
    ]


def test_the_message_names_the_playlist_size_when_yt_dlp_knows_it() -> None:
    info = {"_type": "playlist", "playlist_count": 120, "entries": [{"url": "https://youtu.be/x"}] * 3}
    with pytest.raises(PlaylistTooLong, match="120 songs"):
        playlist_of(info, max_items=2)


@pytest.mark.parametrize("info", [None, {"id": "x", "url": "http://127.0.0.1/a.ogg"}, {"_type": "video"}])
def test_anything_but_a_playlist_is_refused(info: dict | None) -> None:
    with pytest.raises(NotAPlaylist):
        playlist_of(info, max_items=2)
