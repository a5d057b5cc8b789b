"""The crawl's frontier (what is known, due, budgeted, opted out, and when each site may be asked)
and the Scrapy scheduler that hands requests out from it. See :mod:`crawler.frontier.frontier`."""
