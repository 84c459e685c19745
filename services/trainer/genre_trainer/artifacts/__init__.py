"""Artifacts: the LiteRT export and its manifest, running the `.tflite` file, publishing an artifact atomically."""
