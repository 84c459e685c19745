import sys

from genre_worker.cli.command import main

sys.exit(main())
