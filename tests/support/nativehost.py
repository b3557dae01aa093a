"""Talking to a real `python -m curator native-host` the way a browser does."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def frame(message) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
    return struct.pack("=I", len(body)) + body


def replies(data: bytes) -> list[dict]:
    out = []
    while data:
        (n,) = struct.unpack("=I", data[:4])
        out.append(json.loads(data[4:4 + n].decode("utf-8")))
        data = data[4 + n:]
    return out


def run_host(library: Path | None, *messages, expert: str = "Alex Lead",
             raw: bytes = b"", timeout: float = 240) -> tuple[list[dict], str]:
    """Start the host, send *messages* (framed; *raw* bytes after them), close its input
    and read every answer. Returns (answers, what it wrote on stderr)."""
    env = dict(os.environ, CURATOR_EXPERT=expert)
    args = [sys.executable, "-m", "curator"]
    if library is not None:
        args += ["--library", str(library)]
    done = subprocess.run([*args, "native-host"], input=b"".join(map(frame, messages)) + raw,
                          capture_output=True, env=env, cwd=ROOT, timeout=timeout)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return replies(done.stdout), done.stderr.decode("utf-8", "replace")
