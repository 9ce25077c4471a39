"""The test launcher (tests/kiteguard_launcher.py) with a smaller event queue, for storage faults.

Usage: python fault_launcher.py EVENT_QUEUE_SIZE HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA

With the default queue (20,000 events) a test would need minutes of blocked requests to
overflow it while the disk is full; a queue of a few dozen shows the same behaviour at once.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from kiteguard.proxy import eventlog

if __name__ == "__main__":
    eventlog.MAX_QUEUED = int(sys.argv.pop(1))
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "kiteguard_launcher.py"), run_name="__main__")
