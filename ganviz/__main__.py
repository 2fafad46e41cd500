"""python -m ganviz"""
import sys

from ganviz.cli import main

if __name__ == "__main__":  # guarded: the app spawns its training process, which re-imports __main__
    sys.exit(main())
