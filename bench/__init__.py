"""Benchmarks (not part of the product): `make bench`."""
