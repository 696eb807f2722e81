"""The servers tests start as real processes: stopped the way a user stops one."""

from __future__ import annotations

import signal
import subprocess
from typing import Any


def stop(process: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Ctrl-C, as a user stops a server; killed if it has not ended within ``timeout`` seconds."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
