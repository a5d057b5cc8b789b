"""``python -m crawler`` is the ``tremplin`` command."""

import sys

from crawler.cli import main

sys.exit(main())
