"""`python -m bench`: the end-to-end benchmarks (bench/run.py)."""

from bench.run import main

main()
