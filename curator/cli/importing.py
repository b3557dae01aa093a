"""``curator import``: preview a file, ask, import it and print the report."""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Iterable

from curator.base.errors import CuratorError
from curator.base.words import plural, verb
from curator.cli.output import say
from curator.importing.run import DEFAULT_PER_HOST, Preview


def parse_map_option(text: str | Iterable[str] | None) -> dict[str, str]:
    """``url=Link,title=Name`` (or several such options) as {"url": "Link", ...}.

    A column name holding a comma is written in quotes: ``notes="Why, briefly"``.
    ``field=`` with nothing after it clears a guessed column.
    """
    if text is None:
        return {}
    parts = [text] if isinstance(text, str) else list(text)
    out: dict[str, str] = {}
    for part in parts:
        for m in re.finditer(r'\s*([^=,]+?)\s*=\s*("([^"]*)"|\'([^\']*)\'|[^,]*)\s*(?:,|$)',
                             part):
            key = m.group(1).strip().lower()
            value = m.group(3) if m.group(3) is not None else (
                m.group(4) if m.group(4) is not None else m.group(2).strip())
            out[key] = value
        leftover = re.sub(r'\s*([^=,]+?)\s*=\s*("([^"]*)"|\'([^\']*)\'|[^,]*)\s*(?:,|$)', "",
                          part).strip(" ,")
        if leftover:
            raise CuratorError(f"'{leftover}' is not a column choice. Write --map as "
                               "field=column pairs, for example: --map url=Link,title=Name")
    return out


def _print_counts(p: Preview, file) -> None:
    c = p.counts
    say(f"{p.name}: {p.label}, {plural(c['total'], 'row')}.", file=file)
    if p.mapping:
        cols = ", ".join(f"{k}={v}" for k, v in p.mapping.items())
        say(f"  Columns: {cols}", file=file)
    say(f"  New: {c['new']}   Already in the library: {c['duplicate_in_library']}   "
          f"Repeated in the file: {c['duplicate_in_file']}   Invalid: {c['invalid']}   "
          f"Skipped (not web pages): {c['skipped_scheme']}", file=file)


def parse_rows_option(values) -> list[int]:
    """``--leave-out 3,5-7 --leave-out 12`` -> [3, 5, 6, 7, 12]."""
    out: list[int] = []
    for value in values or ():
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                if "-" in part:
                    lo, hi = (int(x) for x in part.split("-", 1))
                    if hi < lo or hi - lo > 100_000:
                        raise ValueError
                    out.extend(range(lo, hi + 1))
                else:
                    out.append(int(part))
            except ValueError:
                raise CuratorError(f"'{part}' is not a row number or range; write them like "
                                   "this: --leave-out 3,5-7") from None
    return out


def cli_import(lib, args) -> int:
    """``curator import FILE [--map ...] [--theme T] [--no-fetch] [--yes] [--report CSV]``."""
    as_json = bool(getattr(args, "json", False))
    mapping = parse_map_option(getattr(args, "map", None))
    p = lib.import_preview(args.file, mapping=mapping or None,
                           theme=getattr(args, "theme", None))
    if not p.ready:
        raise CuratorError(p.problem or "This file cannot be imported as it is.")
    info = sys.stderr if as_json else sys.stdout
    left_out = parse_rows_option(getattr(args, "leave_out", None))
    if left_out:
        p.leave_out(left_out)
        say(f"Leaving out {plural(len(p.left_out), 'row')}: "
            f"{', '.join(str(n) for n in sorted(p.left_out)) or 'none of those'}.", file=info)
    _print_counts(p, info)
    if p.counts["total"] == 0:
        say("There is nothing to import in this file.", file=info)
    if not getattr(args, "yes", False) and not as_json and sys.stdin.isatty() and \
            p.counts["new"] + p.counts["duplicate_in_library"]:
        asked = f"Import {plural(p.to_import['new'], 'new resource')}? [y/N] "
        answer = input(asked).strip().lower()
        if answer not in ("y", "yes"):
            say("Nothing was imported.", file=info)
            return 0
    stop = threading.Event()
    old_handler = None
    if threading.current_thread() is threading.main_thread():
        def on_interrupt(_sig, _frame):
            if stop.is_set():
                raise KeyboardInterrupt
            stop.set()
            say("\nStopping after the fetches in progress (press Ctrl+C again to quit "
                  "now)...", file=sys.stderr)
        old_handler = signal.signal(signal.SIGINT, on_interrupt)
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(done: int, total: int, phase: str) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.2:
            return
        last[0] = now
        line = f"{phase} {done} of {total}"
        if tty:
            print(f"\r{line:<40}", end="", file=sys.stderr)
        elif done == total:
            say(line, file=sys.stderr)
    try:
        report = lib.import_run(p, fetch=not getattr(args, "no_fetch", False),
                                cancel=stop.is_set, progress=show,
                                per_host=getattr(args, "per_host", None) or DEFAULT_PER_HOST)
    finally:
        if old_handler is not None:
            signal.signal(signal.SIGINT, old_handler)
        if tty:
            say(file=sys.stderr)
    report_path = getattr(args, "report", None)
    if report_path:
        report.write_report_csv(report_path)
    if as_json:
        import json

        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        say(report.summary())
        for r in report.rows:
            if r.outcome in ("invalid", "skipped_scheme", "not_imported") or r.fetch == "failed":
                say(f"  {p.position_label} {r.position}: {r.describe()}")
        if report_path:
            say(f"The full report is in {report_path}.")
    pending = report.counts["fetch_pending"]
    if pending and getattr(args, "no_fetch", False) and not as_json:
        say(f"{plural(pending, 'page')} {verb(pending, 'is', 'are')} not fetched yet: run "
            "'curator refetch' when you want their titles and text.")
    if report.cancelled or report.fetch_cancelled:
        say(f"Stopped. {plural(pending, 'page')} {verb(pending, 'is', 'are')} not fetched "
            "yet: import the same file again (nothing is added twice) or run 'curator "
            "refetch' to carry on.", file=sys.stderr)
        return 130
    return 0
