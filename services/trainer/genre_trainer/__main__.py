"""`python -m genre_trainer` is the same as the `genre-trainer` command."""

import sys

from genre_trainer.cli import main

sys.exit(main())
