"""Benchmarks: speed, memory and scale, side by side with a peer (urlwatch).

Outside the test suite (pytest collects only ``tests/``). Run from the repository root::

    python -m benchmarks.run [--quick] [--out DIR] [--postgres URL]
"""
