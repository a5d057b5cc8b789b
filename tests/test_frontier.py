"""The frontier's queues and clocks: due order, one request in flight per site, delays as floors.

Time is given by the test (no sleeping, no timing asserts): ``pop(now)`` hands out what is due at
``now``, ``transfer_ended(now)`` starts the site's delay.
"""

from __future__ import annotations

import random

import pytest

from crawler.frontier.clock import PolitenessPolicy, SiteClock
from crawler.frontier.sites import IDLE_KEEP, SiteQueues


def queues(delay: float = 1.0, jitter: float = 0.0, **policy) -> SiteQueues:
    return SiteQueues(PolitenessPolicy(delay=delay, jitter=jitter, **policy), random.Random(7))


def test_a_site_has_one_request_in_flight_and_waits_its_delay_after_the_answer():
    q = queues(delay=1.0)
    q.push("a", "a1")
    q.push("a", "a2")
    assert q.pop(0.0) == "a1"
    assert q.pop(0.0) is None  # a1 still in flight
    q.transfer_ended("a", "a1", now=0.3)
    assert q.pop(1.29) is None  # the delay counts from the answer, not from the send
    assert q.next_ready_at() == pytest.approx(1.3)
    assert q.pop(1.3) == "a2"


def test_started_sites_that_are_due_come_before_new_sites():
    q = queues(delay=1.0)
    q.push("a", "a1")
    assert q.pop(0.0) == "a1"
    q.transfer_ended("a", "a1", now=0.1)
    q.push("a", "a2")
    q.push("b", "b1")
    q.push("c", "c1")
    assert q.pop(0.5) == "b1"  # a is not due yet: a new site goes meanwhile
    assert q.pop(1.2) == "a2"  # a is due: it goes before the new site c
    assert q.pop(1.2) == "c1"
    assert q.pop(1.2) is None


def test_due_sites_are_handed_out_longest_due_first():
    q = queues(delay=1.0)
    first = {host: f"{host}1" for host in "abc"}
    for host in "abc":
        q.push(host, first[host])
    for host in "abc":
        assert q.pop(0.0) is first[host]
    q.transfer_ended("c", first["c"], now=0.1)
    q.transfer_ended("a", first["a"], now=0.2)
    q.transfer_ended("b", first["b"], now=0.3)
    for host in "abc":
        q.push(host, f"{host}2")
    assert [q.pop(5.0) for _ in range(3)] == ["c2", "a2", "b2"]


def test_higher_priority_first_within_a_site():
    q = queues()
    q.push("a", "home", priority=0)
    q.push("a", "robots", priority=1000)
    assert q.pop(0.0) == "robots"


def test_jitter_only_lengthens_the_gap():
    clock = SiteClock(delay=1.0, floor=1.0)
    policy = PolitenessPolicy(delay=1.0, jitter=0.5)
    rng = random.Random(1)
    gaps = [clock.gap(policy, rng) for _ in range(2000)]
    assert min(gaps) >= 1.0
    assert max(gaps) <= 1.5


def test_crawl_delay_is_a_floor_and_retry_after_postpones_once():
    q = queues(delay=1.0)
    q.push("a", "a1")
    assert q.pop(0.0) == "a1"
    q.site("a").clock.set_floor(5.0)
    q.transfer_ended("a", "a1", now=0.0)
    q.push("a", "a2")
    assert q.pop(4.99) is None
    assert q.pop(5.0) == "a2"
    q.site("a").clock.postpone(5.1, 30.0)
    q.transfer_ended("a", "a2", now=5.1)
    q.push("a", "a3")
    assert q.pop(35.0) is None
    assert q.pop(35.1) == "a3"


def test_a_request_dropped_before_any_transfer_frees_its_site_without_a_delay():
    q = queues(delay=1.0)
    q.push("a", "a1")
    q.push("a", "a2")
    assert q.pop(0.0) == "a1"
    # a1 was dropped by a middleware (robots.txt, a guard): no transfer, no delay owed.
    assert q.pop(0.0, still_in_flight=lambda request: False) == "a2"


def test_autothrottle_slows_for_a_slow_site_and_never_goes_below_the_floor():
    policy = PolitenessPolicy(delay=1.0, autothrottle=True, start_delay=1.0, max_delay=60, target_concurrency=0.5)
    clock = SiteClock(delay=policy.first_delay(), floor=1.0)
    clock.observe_latency(0.1, True, policy)
    assert clock.delay == 1.0  # fast site: the floor, from the first answer on
    clock.observe_latency(3.0, True, policy)
    assert clock.delay == 6.0  # latency / target concurrency
    clock.observe_latency(100.0, True, policy)
    assert clock.delay == 60.0  # AUTOTHROTTLE_MAX_DELAY
    clock.observe_latency(0.1, False, policy)
    assert clock.delay == 60.0  # a fast error page does not speed a slow site up


def test_idle_clocks_are_forgotten_after_a_while():
    q = queues(delay=1.0)
    q.push("a", "a1")
    assert q.pop(0.0) == "a1"
    q.transfer_ended("a", "a1", now=0.0)
    assert q.prune(1.0 + IDLE_KEEP - 0.1) == 0
    assert q.prune(1.0 + IDLE_KEEP + 0.1) == 1
    assert "a" not in q.sites
    assert len(q) == 0 and q.in_flight() == 0


class _Crawler:
    """What the frontier reads of a crawler: settings, and the downloader's middlewares."""

    def __init__(self, **settings) -> None:
        from types import SimpleNamespace

        from scrapy.settings import Settings

        self.settings = Settings({"TREMPLIN_OPT_OUT": ["quiet.example"], **settings})
        self.engine = SimpleNamespace(downloader=SimpleNamespace(middleware=SimpleNamespace(middlewares=[])))


def test_the_frontier_admits_each_site_once_in_one_place():
    from crawler.frontier.frontier import Admission, Frontier

    frontier = Frontier.of(_Crawler(TREMPLIN_MAX_SITES=2))
    frontier.not_due = {"later.example"}
    assert frontier.admit("http://a.example/") is Admission.ADMITTED
    assert frontier.admit("http://a.example/") is Admission.SEEN
    assert frontier.admit("http://www.quiet.example/") is Admission.OPTED_OUT
    assert frontier.admit("http://later.example/") is Admission.NOT_DUE
    assert frontier.admit("http://b.example/") is Admission.ADMITTED
    assert frontier.admit("http://c.example/") is Admission.OVER_BUDGET  # two sites at most
    # The budget is the very instance the middlewares enforce: a counted site passes, a third does not.
    assert frontier.budget.refusal("http://b.example/x") is None
    assert frontier.budget.refusal("http://d.example/") is not None


def test_the_frontier_is_one_per_crawl():
    from crawler.frontier.frontier import Frontier

    crawler = _Crawler()
    assert Frontier.of(crawler) is Frontier.of(crawler)
    assert Frontier.of(_Crawler()) is not Frontier.of(crawler)
