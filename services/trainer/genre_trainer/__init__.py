"""Training of the genre classifier, from a folder of audio files to a LiteRT model artifact.

- :mod:`genre_trainer.dataset`: find the songs of a folder-per-genre dataset and decode them into log-mel windows.
- :mod:`genre_trainer.splits`: song-level train/valid/test splits (the published GTZAN one where it applies).
- :mod:`genre_trainer.model`: the 2D CNN.
- :mod:`genre_trainer.train`: fitting it by a recipe (weight averaging, last or best epoch on song-level validation).
- :mod:`genre_trainer.batches`: training batches, fixed windows or random genre-balanced crops with augmentation.
- :mod:`genre_trainer.evaluate`: window- and song-level figures for the manifest.
- :mod:`genre_trainer.export`: the `.tflite` file, its parity check against Keras, and the manifest.
- :mod:`genre_trainer.litert`: running the `.tflite` file as the worker does.
- :mod:`genre_trainer.report`: model-card.md and confusion.png, the human-readable record beside the manifest.
- :mod:`genre_trainer.pipeline`: all of the above in order, as `genre-trainer train` runs it.
- :mod:`genre_trainer.publish`: validating an artifact and installing it where the worker reads it.
- :mod:`genre_trainer.atomic_dir`: replacing an artifact directory in one rename.
- :mod:`genre_trainer.windows`, :mod:`genre_trainer.summary`: a song as log-mel, waveform and summary windows.
- :mod:`genre_trainer.feature_store`: those windows for a whole dataset, cached on disk, with a per-file record.
- :mod:`genre_trainer.classical`, :mod:`genre_trainer.networks`: the ladder's scikit-learn models, MLP and 1D CNN.
- :mod:`genre_trainer.ladder`: fitting and scoring any model of the ladder the same way.
- :mod:`genre_trainer.run_all`: the whole ladder into a report folder (:mod:`genre_trainer.ladder_report`,
  :mod:`genre_trainer.figures`), as `genre-trainer run-all` runs it.
- :mod:`genre_trainer.evaluate_artifact`: `genre-trainer evaluate`, an artifact scored on any dataset via LiteRT.
- :mod:`genre_trainer.download`: `genre-trainer download`, GTZAN's archive with resume and checksum.
- :mod:`genre_trainer.cli`: the `genre-trainer` command; :mod:`genre_trainer.settings`: its `GENRE_*` defaults.
"""
