"""Song-level splits: never a song on both sides; GTZAN songs get the published filtered split."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre_trainer.data.splits import GTZAN_FILTERED, PARTS, Split, group_folds, load_gtzan_list, split_songs
from genre_trainer.errors import TrainerError


def _all_gtzan_ids() -> list[str]:
    genres = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")
    return [f"{genre}.{number:05d}" for genre in genres for number in range(100)]


def _assert_disjoint(split: Split) -> None:
    seen = [song_id for ids in split.parts.values() for song_id in ids]
    assert len(seen) == len(set(seen))


def test_shipped_gtzan_lists_are_the_published_split() -> None:
    lists = {part: load_gtzan_list(part) for part in PARTS}
    assert {part: len(ids) for part, ids in lists.items()} == {"train": 443, "valid": 197, "test": 290}
    assert len({song_id for ids in lists.values() for song_id in ids}) == 930
    assert set().union(*lists.values()) <= set(_all_gtzan_ids())


def test_shipped_gtzan_lists_match_the_project_data(gtzan_dir: Path) -> None:
    for part in PARTS:
        shared = (gtzan_dir / "splits" / f"{part}_filtered.txt").read_text().split()
        assert load_gtzan_list(part) == shared


def test_gtzan_songs_get_the_filtered_split() -> None:
    song_ids = _all_gtzan_ids()
    split = split_songs(song_ids, [song_id.split(".")[0] for song_id in song_ids], seed=0)

    assert split.name == GTZAN_FILTERED
    assert {part: sorted(ids) for part, ids in split.parts.items()} == {
        part: sorted(load_gtzan_list(part)) for part in PARTS
    }
    _assert_disjoint(split)


def test_gtzan_subset_keeps_each_song_in_its_published_part() -> None:
    song_ids = ["blues.00000", "blues.00029", "jazz.00054", "jazz.00073", "rock.00099"]
    split = split_songs(song_ids, [song_id.split(".")[0] for song_id in song_ids], seed=0)

    assert split.name == GTZAN_FILTERED
    assert split.parts == {
        "train": ["blues.00029", "jazz.00054", "rock.00099"],
        "valid": ["blues.00000"],
        "test": ["jazz.00073"],
    }


def test_songs_outside_the_filtered_split_are_left_out() -> None:
    listed = {song_id for part in PARTS for song_id in load_gtzan_list(part)}
    faulty = next(song_id for song_id in _all_gtzan_ids() if song_id not in listed)
    split = split_songs([faulty, "blues.00000"], [faulty.split(".")[0], "blues"], seed=0)
    assert faulty not in {song_id for ids in split.parts.values() for song_id in ids}


def test_other_datasets_get_a_stratified_song_split() -> None:
    song_ids = [f"{genre}/song {number}" for genre in ("ambient", "techno", "folk") for number in range(10)]
    genres = [song_id.split("/")[0] for song_id in song_ids]

    split = split_songs(song_ids, genres, seed=7)

    assert split.name.startswith("stratified")
    _assert_disjoint(split)
    assert sorted(split.parts["train"] + split.parts["valid"]) == sorted(song_ids)
    for genre in ("ambient", "techno", "folk"):
        assert sum(song_id.startswith(genre) for song_id in split.parts["valid"]) == 2
    assert split_songs(song_ids, genres, seed=7) == split
    assert split_songs(song_ids, genres, seed=8) != split


def test_a_gtzan_name_in_the_wrong_folder_is_not_gtzan() -> None:
    song_ids = [f"blues.{number:05d}" for number in range(10)]
    genres = ["blues"] * 9 + ["jazz"]
    with pytest.raises(TrainerError, match="Cannot split"):  # not GTZAN; then jazz has one song only
        split_songs(song_ids, genres, seed=0)


def test_limited_split_takes_the_first_songs_of_each_genre_and_part() -> None:
    split = Split(name="x", parts={"train": ["a1", "a2", "a3", "b1"], "valid": ["a4", "b2", "b3"]})
    genre_of = {song_id: song_id[0] for song_id in ["a1", "a2", "a3", "a4", "b1", "b2", "b3"]}
    assert split.limited(1, genre_of).parts == {"train": ["a1", "b1"], "valid": ["a4", "b2"]}


def test_a_song_on_both_sides_is_refused() -> None:
    with pytest.raises(ValueError, match="both"):
        Split(name="x", parts={"train": ["a", "b"], "valid": ["b"]})


def test_kfold_puts_every_song_in_exactly_one_validation_fold() -> None:
    from genre_trainer.data.splits import kfold_split

    song_ids = [f"{genre}/song {number}" for genre in ("ambient", "techno") for number in range(10)]
    genres = [song_id.split("/")[0] for song_id in song_ids]
    folds = [kfold_split(song_ids, genres, folds=5, fold=fold, seed=3) for fold in range(5)]
    for split in folds:
        _assert_disjoint(split)
        assert sorted(split.parts["train"] + split.parts["valid"]) == sorted(song_ids)
    assert sorted(song_id for split in folds for song_id in split.parts["valid"]) == sorted(song_ids)
    assert kfold_split(song_ids, genres, folds=5, fold=2, seed=3) == folds[2]
    with pytest.raises(TrainerError):
        kfold_split(song_ids, genres, folds=5, fold=5, seed=3)


def test_choose_split_refuses_gtzan_filtered_for_other_songs() -> None:
    from genre_trainer.data.splits import choose_split

    with pytest.raises(TrainerError, match="GTZAN"):
        choose_split("gtzan-filtered", ["rock/a", "rock/b"], ["rock", "rock"], seed=0)


def test_group_folds_keep_each_artist_in_one_fold() -> None:
    song_ids = [f"song{i}" for i in range(20)]
    genres = ["jazz", "blues"] * 10
    artists = {f"song{i}": f"artist{i % 7}" for i in range(18)}  # two songs without an artist
    folds = group_folds(song_ids, genres, artists, folds=5, seed=0)
    assert set(folds) == set(song_ids) and set(folds.values()) == set(range(5))
    for artist in set(artists.values()):
        assert len({folds[song] for song, name in artists.items() if name == artist}) == 1


def test_group_folds_need_two_artists() -> None:
    with pytest.raises(TrainerError, match="1 artist"):
        group_folds(["a", "b"], ["jazz", "jazz"], {"a": "x", "b": "x"}, folds=5, seed=0)
