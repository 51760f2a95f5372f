"""`python -m helsetilbud.cli`, the same as the `helsetilbud` command."""

import sys

from helsetilbud.cli import main

sys.exit(main())
