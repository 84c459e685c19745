"""Helpers for tests that run real processes: ports, waiting, and the whole service stack."""
