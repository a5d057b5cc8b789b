"""The baseline: a bare Scrapy spider that fetches a given list of URLs and does nothing else.

``python bench/bare_spider.py URLS.json SETTINGS.json``. URLS.json holds one list of URLs per site,
in the order Tremplin asked them; each site's URLs are chained one after the other (as Tremplin
chains a site's endpoints), with the same scheduling settings (concurrency, per-site delay,
AutoThrottle) as the Tremplin run it is compared with. robots.txt is fetched the way Tremplin
fetches it, by Scrapy's own robots.txt middleware (``ROBOTSTXT_OBEY``), so it is left out of the
lists. Callbacks read nothing; every status is accepted so a 404 does not break a chain.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, sites: list[list[str]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.sites = sites

    async def start(self):
        for index, urls in enumerate(self.sites):
            if not urls:
                continue
            yield scrapy.Request(urls[0], callback=self.parse, cb_kwargs={"site": index, "step": 0}, dont_filter=True)

    def parse(self, response, site: int, step: int):
        urls = self.sites[site]
        if step + 1 < len(urls):
            yield scrapy.Request(
                urls[step + 1], callback=self.parse, cb_kwargs={"site": site, "step": step + 1}, dont_filter=True
            )


def main() -> None:
    with open(sys.argv[1]) as urls, open(sys.argv[2]) as options:
        sites = [[url for url in site if not url.endswith("/robots.txt")] for site in json.load(urls)]
        settings = json.load(options)
    settings.update(
        {
            "ROBOTSTXT_OBEY": True,
            "HTTPERROR_ALLOW_ALL": True,
            "LOG_LEVEL": "WARNING",
            "TELNETCONSOLE_ENABLED": False,
            "REMOTE_CONTROL_ENABLED": False,
        }
    )
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, sites=sites)
    process.start()


if __name__ == "__main__":
    main()
