"""Training of the genre classifier, from a folder of audio files to a LiteRT model artifact.

One subpackage per stage of the pipeline; :mod:`genre_trainer.cli` is the `genre-trainer` command over them and
:mod:`genre_trainer.settings` its `GENRE_*` defaults.

:mod:`genre_trainer.data`, from audio files to model inputs:

- :mod:`~genre_trainer.data.dataset`: find the songs of a folder-per-genre dataset and decode them into log-mel windows.
- :mod:`~genre_trainer.data.splits`: song-level train/valid/test splits (the published GTZAN one where it applies).
- :mod:`~genre_trainer.data.windows`, :mod:`~genre_trainer.data.summary`: a song as log-mel, waveform and summary
  windows.
- :mod:`~genre_trainer.data.feature_store`: those windows for a whole dataset, cached on disk, with a per-file record.
- :mod:`~genre_trainer.data.batches`: training batches, fixed windows or random genre-balanced crops with augmentation.
- :mod:`~genre_trainer.data.mastering`, :mod:`~genre_trainer.data.non_music`: songs as loud mastering and EQ leave
  them, and made-up speech, applause and noise for the music detector.
- :mod:`~genre_trainer.data.download`: `genre-trainer download`, GTZAN's archive with resume and checksum.

:mod:`genre_trainer.models`:

- :mod:`~genre_trainer.models.model`: the 2D CNN.
- :mod:`~genre_trainer.models.classical`, :mod:`~genre_trainer.models.networks`: the ladder's scikit-learn models, MLP
  and 1D CNN.
- :mod:`~genre_trainer.models.musicnn`, :mod:`~genre_trainer.models.transfer`, :mod:`~genre_trainer.models.pretrained`:
  the MSD musicnn network in Keras 3, its genre head, and its embeddings of the ladder's windows.
- :mod:`~genre_trainer.models.music_detector`, :mod:`~genre_trainer.models.scaling`: the music detector, and the
  standard scaler with a floored spread that it and the genre head use.

:mod:`genre_trainer.training`:

- :mod:`~genre_trainer.training.recipe`, :mod:`~genre_trainer.training.train`: fitting the CNN by a recipe (weight
  averaging, last or best epoch on song-level validation).
- :mod:`~genre_trainer.training.pipeline`: every stage in order, as `genre-trainer train` runs it.
- :mod:`~genre_trainer.training.cross_validation`: artist-disjoint folds of the extra datasets' songs.
- :mod:`~genre_trainer.training.ladder`: fitting and scoring any model of the ladder the same way.
- :mod:`~genre_trainer.training.run_all`: the whole ladder into a report folder, as `genre-trainer run-all` runs it.

:mod:`genre_trainer.evaluation`:

- :mod:`~genre_trainer.evaluation.evaluate`: window- and song-level figures for the manifest.
- :mod:`~genre_trainer.evaluation.report`: model-card.md and confusion.png, the human-readable record beside the
  manifest.
- :mod:`~genre_trainer.evaluation.ladder_report`, :mod:`~genre_trainer.evaluation.figures`: the ladder's report and
  its figures.
- :mod:`~genre_trainer.evaluation.evaluate_artifact`: `genre-trainer evaluate`, an artifact scored on any dataset via
  LiteRT.

:mod:`genre_trainer.artifacts`:

- :mod:`~genre_trainer.artifacts.export`: the `.tflite` file, its parity check against Keras, and the manifest.
- :mod:`~genre_trainer.artifacts.litert`: running the `.tflite` file as the worker does.
- :mod:`~genre_trainer.artifacts.publish`: validating an artifact and installing it where the worker reads it.
- :mod:`~genre_trainer.artifacts.atomic_dir`: replacing an artifact directory in one rename.
"""
