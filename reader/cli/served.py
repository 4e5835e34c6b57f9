"""What each browser tab of `readmark serve` runs: `readmark [ARTICLE]`, whose standard
input carries the page's keys (Textual's web driver reads them from it), never an article."""

import sys

from reader.cli.main import main

if __name__ == "__main__":
    sys.stdin = None  # type: ignore[assignment]  # a pipe, but not one to read an article from
    sys.exit(main())
