"""Benchmarks (not tests): `python -m bench` end to end, `python -m bench.parse` parsing."""
