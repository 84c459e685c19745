"""Two links are the same song when they name the same YouTube video."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genre_core.source_key import AmbiguousLink, source_key


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


def test_other_links_are_keyed_by_their_whole_url() -> None:
    # Fragment included: yt-dlp reads fragments (`#v=`, `#/watch?v=`, smuggled data), so links that differ
    # only there may fetch different things.
    assert source_key("http://127.0.0.1:8000/a.ogg#x") == "http://127.0.0.1:8000/a.ogg#x"
    assert source_key("https://www.youtube.com/watch?v=short") == "https://www.youtube.com/watch?v=short"


# --- Ambiguous links: the id keyed here must be the one yt-dlp fetches --------------------------------------

A, B = "AAAAAAAAAAA", "BBBBBBBBBBB"


def yt_dlp_readings(url: str) -> set[str]:
    """Every video id yt-dlp could take this link for: its video extractor's pattern, and `v` as its playlist
    extractor reads it (a link with `list=`), percent-decoded."""
    youtube_ie = pytest.importorskip("yt_dlp.extractor.youtube").YoutubeIE
    from yt_dlp.utils import parse_qs

    readings = set()
    if match := youtube_ie._match_valid_url(url):
        readings.add(match.group("id"))
    readings.update(parse_qs(url).get("v", [])[:1])
    return readings


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?%76={A}&v={B}",  # parse_qs reads A, yt-dlp's pattern B
        f"https://www.youtube.com/watch?v={A}&v={B}",
        f"https://www.youtube.com/watch?x=1;v={B}&v={A}",  # `;` separates for yt-dlp, not for parse_qs
        f"https://www.youtube.com/watch?v={A};V={B}&list=PL1",
        f"https://www.youtube.com/watch?v={A}#/watch?v={B}",  # `#/` restarts yt-dlp's search
        f"https://www.youtube.com/shorts/{A}#/watch?v={B}",
        f"https://www.youtube.com/watch?v={A}#&v={B}",
        f"https://youtu.be/{A}?%76={B}&v={A}",
        f"https://www.youtube.com/watch?v+={B}&v={A}",
        f"https://youtu.be/{A}?v={B}",  # two ids: which one wins depends on the extractor
        f"https://www.youtube.com/shorts/{A}?v={B}",
    ],
)
def test_links_that_two_readings_could_split_are_refused(url: str) -> None:
    with pytest.raises(AmbiguousLink):
        source_key(url)


@pytest.mark.parametrize(
    ("url", "video"),
    [
        (f"https://www.youtube.com/watch?v={A}#t=42", A),
        (f"https://www.youtube.com/watch?list=PL1&v={A}&index=2", A),
        (f"https://youtu.be/{A}?si=x&t=3", A),
        (f"https://www.youtube.com/shorts/{A}?feature=share", A),
    ],
)
def test_the_keyed_video_is_the_one_yt_dlp_reads(url: str, video: str) -> None:
    assert source_key(url) == f"youtube:{video}"
    assert yt_dlp_readings(url) <= {video}


def test_an_encoded_video_id_is_not_taken_for_the_decoded_one() -> None:
    url = f"https://www.youtube.com/watch?v=%41{A[1:]}"
    assert source_key(url) == url  # keyed by the link itself, never as video A


_PARAMETERS = st.sampled_from(
    ["v=" + A, "v=" + B, "%76=" + B, "V=" + B, "v%3D" + B, "list=PL1", "t=42", "x=1", "v=" + B + "x", ""]
)
_FRAGMENTS = st.sampled_from(["", "#t=30", f"#/watch?v={B}", f"#&v={B}", f"#!v={B}", f"#v={B}"])


@given(
    path=st.sampled_from(["/watch", f"/shorts/{A}", f"/embed/{A}", "/watch/", "/"]),
    parameters=st.lists(_PARAMETERS, max_size=4),
    separators=st.lists(st.sampled_from(["&", ";"]), min_size=4, max_size=4),
    fragment=_FRAGMENTS,
    host=st.sampled_from(["www.youtube.com", "m.youtube.com", "youtu.be"]),
)
@settings(max_examples=400, deadline=None)
def test_no_spelling_is_keyed_as_a_video_yt_dlp_would_not_fetch(
    path: str, parameters: list[str], separators: list[str], fragment: str, host: str
) -> None:
    query = "".join(sep + part for sep, part in zip(separators, parameters, strict=False))[1:]
    if host == "youtu.be":
        path = f"/{A}"
    url = f"https://{host}{path}" + (f"?{query}" if query else "") + fragment
    try:
        key = source_key(url)
    except AmbiguousLink:
        return
    if key.startswith("youtube:"):
        assert yt_dlp_readings(url) == {key.removeprefix("youtube:")}, url
    else:
        assert key == url
