"""Tests of what every domain shares: file readers and writers, exports, typed dates, the
sample files."""
