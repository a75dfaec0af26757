"""Benchmarks: Beacon's throughput as ratios against a bare Starlette endpoint measured in the same run."""
