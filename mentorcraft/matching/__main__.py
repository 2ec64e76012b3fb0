from __future__ import annotations

import sys

from mentorcraft.matching.engine.cli import main

sys.exit(main())
