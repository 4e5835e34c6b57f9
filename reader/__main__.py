"""`python -m reader` runs the readmark command line."""

import sys

from reader.cli import main

sys.exit(main())
