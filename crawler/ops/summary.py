"""The end-of-run summary of ``tremplin crawl``, read from the database so its figures are the stored ones.

What the operator reads first: how the run ended, how many sites were reached, and why the others
were not, by error kind. When every site failed the same way, one sentence says so and what it
likely means ("no site could be reached: 5 DNS failures — is this machine online?"). When nothing
was due, :func:`nothing_due_message` says when something will be.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.ops.progress import duration
from crawler.ops.runs import REACHED_STATUSES

# Outcomes that are not a visit of the site: its old address (moved) or a site we must not contact.
NOT_VISITED = ("moved", "opted_out")
# What a failure of every site most likely means, by error kind.
KIND_WORDS = {
    "dns": ("DNS failure", "DNS failures", " — is this machine online?"),
    "connection_refused": ("connection refused", "connections refused", ""),
    "timeout": ("timeout", "timeouts", " — is this machine online, or behind a proxy?"),
    "robots": ("site whose robots.txt forbids it", "sites whose robots.txt forbids it", ""),
    "refused_private": ("private address refused", "private addresses refused", " (see --allow-private)"),
}


@dataclass
class RunSummary:
    """What the database says of one run."""

    run_id: str
    status: str
    finish_reason: str | None
    pages: int
    errors: int
    outcomes: dict[str, int]
    failed_kinds: Counter = field(default_factory=Counter)
    candidates: dict[str, int] = field(default_factory=dict)
    monitor_status: str | None = None
    monitor_reasons: list[str] = field(default_factory=list)

    @property
    def visited(self) -> int:
        return sum(n for status, n in self.outcomes.items() if status not in NOT_VISITED)

    @property
    def reached(self) -> int:
        return sum(self.outcomes.get(status, 0) for status in REACHED_STATUSES)

    @property
    def failed(self) -> int:
        return self.visited - self.reached


def read_summary(db_path: str | Path, run_id: str) -> RunSummary | None:
    """Return the summary of ``run_id`` in the database, or None when the run has no row."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT status, finish_reason, coalesce(pages, 0), coalesce(errors, 0), monitor_status, monitor_reasons "
            "FROM runs WHERE id = ?",
            [run_id],
        ).fetchone()
        if row is None:
            return None
        query = "SELECT status, count(*) FROM run_sites WHERE run_id = ? GROUP BY status"
        outcomes = dict(conn.execute(query, [run_id]))
        kinds = Counter(
            dict(
                conn.execute(
                    "SELECT coalesce(c.error_kind, r.status), count(*) FROM run_sites r "
                    "LEFT JOIN communities c ON c.id = r.community_id WHERE r.run_id = ? "
                    f"AND r.status NOT IN ({', '.join('?' * (len(REACHED_STATUSES) + len(NOT_VISITED)))}) "
                    "GROUP BY 1",
                    [run_id, *REACHED_STATUSES, *NOT_VISITED],
                )
            )
        )
        candidates = dict(
            conn.execute("SELECT status, count(*) FROM candidates WHERE last_run_id = ? GROUP BY status", [run_id])
        )
    finally:
        conn.close()
    status, reason, pages, errors, monitor_status, reasons = row
    return RunSummary(
        run_id, status, reason, pages, errors, outcomes, kinds, candidates, monitor_status, json.loads(reasons or "[]")
    )


def _kind_phrase(kind: str, count: int) -> tuple[str, str]:
    one, many, hint = KIND_WORDS.get(kind, (f"{kind} failure", f"{kind} failures", ""))
    if kind.startswith("http_"):
        one, many = f"HTTP {kind[5:]} answer", f"HTTP {kind[5:]} answers"
    return f"{count} {one if count == 1 else many}", hint


def headline(summary: RunSummary) -> str | None:
    """One sentence when no site could be reached: the causes, and the likely reason when it is one."""
    if summary.reached or not summary.failed:
        return None
    kinds = summary.failed_kinds.most_common()
    if len(kinds) == 1:
        phrase, hint = _kind_phrase(*kinds[0])
        return f"no site could be reached: {phrase}{hint}"
    return "no site could be reached: " + ", ".join(_kind_phrase(kind, n)[0] for kind, n in kinds)


def summary_rows(summary: RunSummary, elapsed: float) -> list[tuple[str, str]]:
    """The summary as (label, value) rows."""
    ended = summary.status
    if summary.finish_reason and summary.finish_reason != "finished":
        ended += f": {summary.finish_reason}"
    rows = [
        ("run", f"{summary.run_id} ({ended})"),
        ("duration", duration(elapsed)),
        ("sites", f"{summary.visited} tried: {summary.reached} reached, {summary.failed} failed"),
    ]
    if summary.failed_kinds:
        rows.append(("failures", ", ".join(f"{n} {kind}" for kind, n in summary.failed_kinds.most_common())))
    skipped = {status: n for status, n in summary.outcomes.items() if status in NOT_VISITED}
    if skipped:
        rows.append(("not visited", ", ".join(f"{n} {status}" for status, n in sorted(skipped.items()))))
    if summary.candidates:
        found = sum(summary.candidates.values())
        rows.append(("candidates", f"{found} found by links: " + ", ".join(
            f"{n} {status}" for status, n in sorted(summary.candidates.items()))))  # fmt: skip
    rate = summary.pages / elapsed if elapsed > 0 else 0.0
    monitors = summary.monitor_status or ("not run: the run failed" if summary.status == "failed" else "not run")
    rows += [
        ("pages", f"{summary.pages} ({rate:.1f} pages/s)"),
        ("errors", f"{summary.errors} fetch errors recorded"),
        ("monitors", monitors),
    ]
    rows += [("reason", reason) for reason in summary.monitor_reasons]
    return rows


def plain_summary(rows: list[tuple[str, str]], title: str | None = None) -> str:
    """The summary as aligned plain text (no terminal codes: cron mails it as is)."""
    width = max(len(label) for label, _ in rows)
    lines = [title] if title else []
    return "\n".join(lines + [f"{label.ljust(width)}  {value}" for label, value in rows])


def rich_summary(rows: list[tuple[str, str]], title: str | None = None) -> Any:
    """The summary as a ``rich`` table."""
    from rich.table import Table

    table = Table(title="Tremplin crawl", caption=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        style = {"ok": "green", "degraded": "yellow", "failed": "red"}.get(value) if label == "monitors" else None
        table.add_row(label, value, style=style)
    return table


def nothing_due_message(db_path: str | Path, not_due: int, now: str | None = None) -> str:
    """The line for a crawl that found nothing due: how many sites, how recently crawled, when next due."""
    now = now or datetime.now(UTC).isoformat(timespec="seconds")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        oldest, next_due = conn.execute(
            "SELECT min(last_crawled_at), min(next_due_at) FROM communities WHERE next_due_at > ?", [now]
        ).fetchone()
    finally:
        conn.close()
    sites = f"{not_due} site{'s' if not_due != 1 else ''}"
    crawled = f" crawled within the last {_since(oldest, now)}" if oldest else " not due yet"
    due = f"; next due {_readable(next_due)}" if next_due else ""
    return f"nothing to do: {sites}{crawled}{due}; use --refresh all to crawl them now"


def _readable(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _since(iso: str, now: str) -> str:
    seconds = max((datetime.fromisoformat(now) - datetime.fromisoformat(iso)).total_seconds(), 0)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(-(-seconds // size))  # rounded up: "within the last 2 hours" for 1 h 10 min
            return f"{n} {unit}s" if n > 1 else unit
    return "minute"
