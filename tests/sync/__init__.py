"""Tests of the floor folder: segments, sealing and signatures, ingest, faults and tampering,
role rules, conflicts, snapshots, and the server mode."""
