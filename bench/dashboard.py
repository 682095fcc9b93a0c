"""`python -m bench.dashboard`: the name issue 17 gives bench.progress (the same benchmark)."""

from bench.progress import main

if __name__ == "__main__":
    main()
