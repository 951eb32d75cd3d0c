"""``python -m lam_robot.cli``: the same as the ``lam-robot`` script."""

import sys

from . import main

sys.exit(main())
