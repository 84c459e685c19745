"""The `classify` command (genre_worker.cli.command): songs one by one, or whole folders at once."""

from genre_worker.cli.command import main

__all__ = ["main"]
