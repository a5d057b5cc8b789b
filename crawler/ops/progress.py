"""What a crawl has done so far, as one plain log line or a live ``rich`` display.

Pure functions of a ``Progress`` snapshot, so the wording is tested without a terminal or a crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Progress:
    """Counters of a running crawl at one moment."""

    elapsed: float  # seconds since the crawl started
    sites_scheduled: int
    sites_done: int
    pages: int
    items: int
    errors: int

    @property
    def queued(self) -> int:
        return max(self.sites_scheduled - self.sites_done, 0)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def sites_per_minute(self) -> float:
        return 60 * self.sites_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds until the sites queued now are done at the rate so far (None before any is done).

        Discovery keeps adding sites, so this is a floor that moves, as for any crawler.
        """
        if not self.sites_done or self.elapsed <= 0:
            return None
        return self.queued * self.elapsed / self.sites_done


def from_stats(stats: dict[str, Any], elapsed: float, sites_done: int, items: int) -> Progress:
    """Build a snapshot from Scrapy's crawl stats and the counts the progress extension keeps."""
    scheduled = int(stats.get("tremplin/sites/scheduled", 0)) + int(stats.get("tremplin/resume/revisited", 0))
    errors = sum(int(v) for k, v in stats.items() if k.startswith("tremplin/errors/"))
    return Progress(
        elapsed=elapsed,
        sites_scheduled=max(scheduled, sites_done),
        sites_done=sites_done,
        pages=int(stats.get("response_received_count", 0)),
        items=items,
        errors=errors,
    )


def duration(seconds: float | None) -> str:
    """Return ``1h02m``, ``3m20s`` or ``45s``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


def plain_line(p: Progress) -> str:
    """One log line for cron and journald."""
    return (
        f"progress: {p.sites_done}/{p.sites_scheduled} sites done, {p.queued} queued, {p.pages} pages, "
        f"{p.items} items, {p.errors} errors, {p.pages_per_second:.1f} pages/s, "
        f"{p.sites_per_minute:.1f} sites/min, ETA {duration(p.eta)}"
    )


def live_renderable(p: Progress) -> Any:
    """The live display: a bar of sites done over sites scheduled, and the counters."""
    from rich.console import Group
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    for _ in range(7):
        table.add_column(justify="right")
    table.add_row("sites", "queued", "pages", "items", "errors", "rate", "ETA", style="bold")
    table.add_row(
        f"{p.sites_done}/{p.sites_scheduled}", str(p.queued), str(p.pages), str(p.items), str(p.errors),
        f"{p.pages_per_second:.1f} p/s", duration(p.eta),
    )  # fmt: skip
    bar = ProgressBar(total=max(p.sites_scheduled, 1), completed=p.sites_done, width=60)
    return Group(bar, table)
