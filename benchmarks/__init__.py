"""Benchmarks: `make bench` prints the figures and writes benchmarks/latest.json."""
