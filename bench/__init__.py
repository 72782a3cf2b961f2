"""Performance benchmarks: a data generator, page benchmarks and their yardsticks.

Nothing here is imported by the product. `make bench` runs it (docs/performance.md).
"""
