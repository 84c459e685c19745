"""Training: fitting a model by a recipe, the `train` and `run-all` pipelines, the ladder, cross-validation."""
