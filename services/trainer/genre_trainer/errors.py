"""Errors of a training or publishing run that the user can fix; the command reports them without a traceback."""

from __future__ import annotations


class TrainerError(Exception):
    """The data or the arguments do not allow the run, e.g. a genre too small to split, or no training songs."""
