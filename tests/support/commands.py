"""The ``coopgraph`` command as a user runs it: a subprocess of this interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping


def coopgraph(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m coopgraph.cli *args``, over an in-memory store unless ``env`` says otherwise.

    Parameters
    ----------
    args
        The command line after ``coopgraph``.
    env
        The whole environment of the command (default: this one with ``COOPGRAPH_IN_MEMORY=true``).
    timeout
        Seconds before the command is killed.
    """
    environment = dict(env) if env is not None else {**os.environ, "COOPGRAPH_IN_MEMORY": "true"}
    return subprocess.run(
        [sys.executable, "-m", "coopgraph.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )
