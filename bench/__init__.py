"""Benchmarks: generated data at scale, a printed table, no asserted timings."""
