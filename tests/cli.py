"""The command line run in this process: ``python -m bot …`` without starting Python again."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(env: dict[str, str], *args: str) -> Ran:
    """``bot.__main__.main(args)`` with exactly ``env`` as its environment, its output caught."""
    from bot.__main__ import main

    saved = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse refusing the arguments
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Ran(code, out.getvalue(), err.getvalue())
