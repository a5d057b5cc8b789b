"""Closed communities end `gone` with the reason; company platforms are classified as such."""

from __future__ import annotations

import pytest

from crawler import platforms
from crawler.analysis.trust import compute_flags
from crawler.classify import classify
from crawler.closed import DEFAULT_CLOSED_FILE, ClosedList, closed_state, read_closed
from crawler.items import CommunityItem
from crawler.schedule import status_after_failure
from pipelines.closed import ClosedCommunityPipeline
from pipelines.normalize import NormalizeCommunityPipeline
from tests.conftest import fixture_response

LIVEMOCHA = "Livemocha, language-learning community acquired by Rosetta Stone on 1 April 2013, closed in 2016"


def test_shipped_list_names_livemocha_with_its_source():
    closed = read_closed(DEFAULT_CLOSED_FILE)
    assert list(closed) == ["livemocha.com"]
    entry = closed["livemocha.com"]
    assert (entry.year, entry.source_url, entry.note) == ("2016", "https://en.wikipedia.org/wiki/Livemocha", LIVEMOCHA)


def test_bad_closed_file_line_is_one_clear_error(tmp_path):
    path = tmp_path / "closed.txt"
    path.write_text("# comment\nexample.org  sometime\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"closed.txt:2: expected DOMAIN YEAR SOURCE-URL"):
        read_closed(path)


@pytest.mark.parametrize(
    ("status", "error_kind", "alias_of", "reason"),
    [
        ("unreachable", "dns", None, f"{LIVEMOCHA}; closed in 2016 (https://en.wikipedia.org/wiki/Livemocha); "
                                     "its address now answers: dns"),
        ("moved", None, "rosettastone.com", f"{LIVEMOCHA}; closed in 2016 (https://en.wikipedia.org/wiki/Livemocha); "
                                            "its address now redirects to rosettastone.com"),
        ("alive", None, None, None),
    ],
)  # fmt: skip
def test_closed_state(status, error_kind, alias_of, reason):
    entry = read_closed(DEFAULT_CLOSED_FILE)["livemocha.com"]
    assert closed_state(entry, status, error_kind, alias_of) == reason


def test_pipeline_marks_a_failed_or_moved_visit_gone():
    pipeline = ClosedCommunityPipeline(ClosedList(read_closed(DEFAULT_CLOSED_FILE)))
    failed = pipeline.process_item(CommunityItem(id="livemocha.com", status="unreachable", error_kind="http_502"))
    assert (failed.status, failed.error_kind, failed.alias_of) == ("gone", "closed", None)
    assert failed.state_reason.endswith("its address now answers: http_502")
    moved = pipeline.process_item(CommunityItem(id="livemocha.com", status="moved", alias_of="rosettastone.com"))
    assert (moved.status, moved.state_reason.rsplit("; ", 1)[-1]) == (
        "gone",
        "its address now redirects to rosettastone.com",
    )
    # A listed community answering on its own address again is alive; other sites are untouched.
    back = pipeline.process_item(CommunityItem(id="livemocha.com", status="alive"))
    assert (back.status, back.state_reason) == ("alive", None)
    other = pipeline.process_item(CommunityItem(id="busuu.com", status="unreachable", error_kind="http_502"))
    assert (other.status, other.error_kind) == ("unreachable", "http_502")
    assert ClosedList(read_closed(DEFAULT_CLOSED_FILE)).lookup("www.livemocha.com") is not None


def test_closed_is_gone_at_the_first_failure():
    assert status_after_failure("closed", 1) == "gone"


@pytest.mark.parametrize(
    ("operator_type", "price_model", "expected"),
    [
        ("company", "freemium", ("company_platform", "kind.operator.company_freemium")),
        ("company", "paid", ("company_platform", "kind.operator.company_paid")),
        ("company", "free", ("unknown", "kind.none")),
        ("non_profit", "paid", ("unknown", "kind.none")),
    ],
)
def test_company_platform_from_operator_and_price(operator_type, price_model, expected):
    assert classify(None, "Busuu", "Busuu", operator_type, price_model) == expected
    # A company's forum stays a forum, a language exchange a language exchange.
    assert classify("xenforo", "Forums", None, operator_type, price_model) == ("forum", "kind.platform.xenforo")
    assert classify(None, "Tandem", "language exchange", operator_type, price_model)[0] == "language_exchange"


def test_company_platform_claim_is_classified_and_flagged_self_reported():
    response = fixture_response("generic/handmade-company-platform-home.html", "https://www.linguacorp.example/")
    extraction = platforms.extract(response)
    item = CommunityItem(
        id="linguacorp.example", url=response.url, name=extraction.name, description=extraction.description,
        operator_type=extraction.operator_type, price_model=extraction.price_model, metrics=extraction.metrics,
        evidence={k: ev.public() for k, ev in extraction.evidence.items()},
    )  # fmt: skip
    item = NormalizeCommunityPipeline().process_item(item)
    assert (item.kind, item.evidence["kind"]["rule"]) == ("company_platform", "kind.operator.company_freemium")
    members = item.evidence["members"]
    assert (item.metrics["members"], members["approximate"], members["rule"]) == (
        100000000,
        True,
        "generic.text.approximate_members",
    )
    observation = {
        "community_id": item.id,
        "metric": "members",
        "value": 100000000,
        "run_id": "r1",
        "observed_at": "2025-02-15T08:00:00+00:00",
        "rule": members["rule"],
        "approximate": 1,
        "rank": 1,
    }
    flags = compute_flags([observation], ["r1"], "2025-02-15T08:00:00+00:00")
    assert [(f["flag"], f["reason"]) for f in flags] == [
        ("self_reported", "approximate figure the site gives of itself (generic.text.approximate_members)")
    ]


def test_closed_file_keeps_url_fragments(tmp_path):
    path = tmp_path / "closed.txt"
    path.write_text("  # a comment line\nold.example  2019  https://example.org/history#closing  Old club\n", "utf-8")
    entry = read_closed(path)["old.example"]
    assert (entry.source_url, entry.note) == ("https://example.org/history#closing", "Old club")
