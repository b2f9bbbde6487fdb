"""Benchmarks; run one with ``uv run --group bench python -m bench.<name>``."""
