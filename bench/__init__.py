"""Benchmark scripts (they print figures; not tests) and the settings they serve with."""
