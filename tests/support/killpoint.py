"""Run the command line in this process and kill it (SIGKILL) at one named step.

    python -m tests.support.killpoint MODULE:FUNCTION before|after|half -- CLI ARGS...

*before* kills the process as the function is called, *after* as soon as it returns;
*half*, for a function taking (path, data), writes half of the data to the path and
then kills. Nothing is cleaned up: this is a crash, as far as the program can tell.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(target: str, when: str) -> None:
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        if when == "before":
            _die()
        if when == "half":
            path, data = args[:2]
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data[: len(data) // 2])
            _die()
        result = original(*args, **kwargs)
        _die()
        return result

    setattr(module, name, wrapper)


def main(argv: list[str]) -> int:
    target, when, separator, *cli_args = argv
    if when not in ("before", "after", "half") or separator != "--":
        raise SystemExit(__doc__)
    _arm(target, when)
    from curator.cli import main as cli
    return cli(cli_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
