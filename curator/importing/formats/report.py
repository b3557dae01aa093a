"""The import report: what happened to every row of the file, in plain words."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Outcome codes and how the person sees them.
OUTCOMES = {
    "added": "Added",
    "merged": "Already in the library; the new details were added to it",
    "unchanged": "Already in the library; nothing new to add",
    "duplicate_in_file": "Same page as an earlier row of the file",
    "invalid": "Not imported",
    "skipped_scheme": "Skipped (not a web page)",
    "not_imported": "Not imported (the import was stopped)",
    "left_out": "Left out (unticked before importing)",
}
FETCH_STATES = {
    "fetched": "Fetched",
    "failed": "Fetch failed",
    "pending": "Not fetched yet",
}


@dataclass
class ReportRow:
    position: int
    url: str
    outcome: str
    message: str = ""
    resource_id: str | None = None
    fetch: str = ""  # "", fetched, failed or pending
    fetch_message: str = ""
    title: str = ""

    def describe(self) -> str:
        """One line: "added; fetched", "merged into 1a2b3c4d: tags x", "invalid: why"."""
        text = (self.message or OUTCOMES.get(self.outcome, self.outcome)).rstrip(".")
        if self.fetch == "fetched":
            text += "; fetched"
        elif self.fetch == "failed":
            text += f"; fetch failed: {self.fetch_message}"
        elif self.fetch == "pending":
            text += "; not fetched yet"
        return text


@dataclass
class ImportReport:
    """Per-row outcomes of one import, with counts, for the CLI, the wizard and a CSV."""

    file: str
    format: str
    position_label: str = "Row"
    rows: list[ReportRow] = field(default_factory=list)
    started_at: str = ""
    finished_at: str = ""
    cancelled: bool = False
    fetch_cancelled: bool = False

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.outcome for r in self.rows)
        out = {k: c.get(k, 0) for k in OUTCOMES}
        out["total"] = len(self.rows)
        f = Counter(r.fetch for r in self.rows if r.fetch)
        out.update({f"fetch_{k}": f.get(k, 0) for k in FETCH_STATES})
        return out

    @property
    def pending_ids(self) -> list[str]:
        """Resources of this import whose pages are not fetched yet, in file order."""
        return list(dict.fromkeys(r.resource_id for r in self.rows
                                  if r.fetch == "pending" and r.resource_id))

    def apply_fetch(self, results: dict[str, tuple[bool, str]], cancelled: bool) -> None:
        """Record a fetch run's outcome (resource id -> (ok, message)) on each row."""
        for r in self.rows:
            res = results.get(r.resource_id or "")
            if res is not None and r.fetch == "pending":
                r.fetch = "fetched" if res[0] else "failed"
                r.fetch_message = "" if res[0] else res[1]
        self.fetch_cancelled = cancelled

    @property
    def added_ids(self) -> list[str]:
        return [r.resource_id for r in self.rows if r.outcome == "added" and r.resource_id]

    def summary(self) -> str:
        c = self.counts
        parts = [f"{c['added']} added", f"{c['merged']} merged into existing resources",
                 f"{c['unchanged']} already in the library",
                 f"{c['duplicate_in_file']} repeated in the file",
                 f"{c['invalid']} not imported", f"{c['skipped_scheme']} skipped"]
        if c["not_imported"]:
            parts.append(f"{c['not_imported']} left out when the import was stopped")
        if c["left_out"]:
            parts.append(f"{c['left_out']} left out before importing")
        text = ", ".join(parts) + "."
        if c["fetch_fetched"] or c["fetch_failed"] or c["fetch_pending"]:
            text += (f" Pages fetched: {c['fetch_fetched']}, failed: {c['fetch_failed']}, "
                     f"not fetched yet: {c['fetch_pending']}.")
        return text

    def to_dict(self) -> dict:
        return {"file": self.file, "format": self.format, "started_at": self.started_at,
                "finished_at": self.finished_at, "cancelled": self.cancelled,
                "fetch_cancelled": self.fetch_cancelled, "counts": self.counts,
                "rows": [asdict(r) | {"description": r.describe()} for r in self.rows]}

    def csv_rows(self) -> list[list]:
        return [[r.position, r.url, r.title, OUTCOMES.get(r.outcome, r.outcome), r.message,
                 r.resource_id or "", FETCH_STATES.get(r.fetch, ""), r.fetch_message]
                for r in self.rows]

    def write_report_csv(self, path: str | Path) -> Path:
        """Write the report as a spreadsheet-safe CSV (no cell can start a formula)."""
        from curator.base.atomic import write_bytes_atomic
        from curator.base.csvsafe import to_csv_bytes

        header = [self.position_label, "Web address", "Title", "Outcome", "Details",
                  "Resource id", "Fetch", "Fetch details"]
        target = Path(path)
        write_bytes_atomic(target, to_csv_bytes(header, self.csv_rows()))
        return target
