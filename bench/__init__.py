"""The benchmark harness (docs/benchmarks.md): `bench/run`, the bare-view ceiling it
measures against, the search correctness check and the EXPLAIN printer. Not part of the
site: nothing under core, catalog, initiatives or public imports it."""
