"""Everything the trainer, the worker and the API must agree on.

- :mod:`genre_core.params`: the feature parameters (sample rate, window length, log-mel settings).
- :mod:`genre_core.audio`: decoding any audio file to mono float32 at the pipeline's sample rate.
- :mod:`genre_core.features`: the log-mel spectrogram of a whole song, cut into fixed windows.
- :mod:`genre_core.manifest`: the model artifact's manifest and the check that it matches this code.
- :mod:`genre_core.results`: the classification result that the worker stores and the API returns.
- :mod:`genre_core.jobs`: the job record shared by the API (writer of new jobs) and the worker.
"""
