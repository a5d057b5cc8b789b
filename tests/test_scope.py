"""The site budget and the opt-out list, as the downloader middlewares apply them."""

from crawler.middlewares.scope import OptOutList, SiteBudget


def test_site_budget_counts_hosts_and_caps_sub_domains():
    budget = SiteBudget(max_sites=4, max_per_domain=2)
    assert budget.refusal("https://fr.wiki.example/") is None
    assert budget.refusal("https://www.de.wiki.example/page") is None
    assert budget.refusal("https://fr.wiki.example/other") is None  # already counted
    assert budget.refusal("https://es.wiki.example/") == "2 sites of wiki.example already crawled"
    assert budget.refusal("https://a.example/") is None
    assert budget.would_admit("https://b.example/")
    assert budget.refusal("https://b.example/") is None
    assert not budget.would_admit("https://c.example/")
    assert budget.refusal("https://c.example/") == "site budget of 4 sites reached"
    counted = ("fr.wiki.example", "de.wiki.example", "a.example", "b.example")
    assert len(budget.hosts) == len(counted) and all(host in budget.hosts for host in counted)


def test_opt_out_covers_sub_domains_only_of_listed_domains():
    opt_out = OptOutList({"club.example"})
    assert opt_out.covers("https://club.example/")
    assert opt_out.covers("http://www.forum.club.example/x")
    assert not opt_out.covers("https://otherclub.example/")
