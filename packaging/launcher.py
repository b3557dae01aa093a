"""The packaged Curator's entry point: the same as the `curator` command.

With no arguments it starts the desktop app; `Curator --help` lists the commands.
"""

import multiprocessing
import sys


def main() -> int:
    # Rebuilding a large search index starts worker processes. Where they are spawned
    # (Windows, macOS) each starts this executable again; freeze_support lets it become
    # the worker instead of a second Curator.
    multiprocessing.freeze_support()
    from curator.cli import main as curator_main

    return curator_main()


if __name__ == "__main__":
    sys.exit(main())
