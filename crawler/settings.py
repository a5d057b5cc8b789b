"""Scrapy settings for Tremplin: polite, bounded and safe by default.

Values that differ per run (database path, replay archive, private-address permission) are passed
by the ``tremplin`` command as settings overrides, never edited here.
"""

BOT_NAME = "tremplin"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify honestly, with a page explaining the bot and how to opt out.
TREMPLIN_CONTACT_URL = "https://github.com/tremplin-crawler/tremplin#politeness"
USER_AGENT = f"TremplinBot/0.1 (+{TREMPLIN_CONTACT_URL})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "TremplinBot"

# One request at a time per site, at least one second apart, slower when the site is slow. The
# scheduler (crawler/frontier) applies these per site: a request leaves only when its site is due,
# so CONCURRENT_REQUESTS counts transfers (open connections), not requests sleeping out a delay.
# The delay counts from the end of the previous answer, so the gap the server sees is never under
# it; the jitter only lengthens it (1 to 1.2 s: irregular enough, without Scrapy's gaps of 0.5 s).
SCHEDULER = "crawler.frontier.scheduler.PoliteScheduler"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1
DOWNLOAD_DELAY_JITTER = 0.2
# AutoThrottle's rule (latency / target concurrency, never under DOWNLOAD_DELAY), applied by the
# frontier's site clocks; a site starts at DOWNLOAD_DELAY, slower only once its first answer is slow.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1
AUTOTHROTTLE_MAX_DELAY = 60
AUTOTHROTTLE_TARGET_CONCURRENCY = 0.5

# Statistics pages are small: a bigger body is a trap or a bomb (limits apply after decompression).
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 2
URLLENGTH_LIMIT = 2083
# A site's statistics endpoints are chained one after the other, so Scrapy's request depth counts
# endpoints, not hops between sites: no global depth limit, a per-site request budget instead.
DEPTH_LIMIT = 0

COOKIES_ENABLED = False
REFERRER_POLICY = "no-referrer"
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 listens on localhost for remote control by default: a crawler needs no such door.
REMOTE_CONTROL_ENABLED = False
# Only the web: no local files, inline data or FTP, even through a redirect.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# Checks the address actually connected to, which closes the DNS-rebinding gap.
TWISTED_DNS_RESOLVER = "crawler.middlewares.ssrf.PublicOnlyResolver"

DOWNLOADER_MIDDLEWARES = {
    # Checked before robots.txt so a private, opted-out or over-budget target is never contacted.
    "crawler.middlewares.ssrf.PrivateAddressGuardMiddleware": 50,
    "crawler.middlewares.scope.OptOutMiddleware": 60,
    "crawler.middlewares.scope.SiteBudgetMiddleware": 70,
    # Scrapy's robots.txt middleware keeps every host's parser for the whole crawl and fetches
    # robots.txt beside the first request; this one obeys the same ROBOTSTXT_* settings, RFC 9309
    # (5xx and no answer disallow, the first 500 KiB of a large file, Crawl-delay), fetches
    # robots.txt as a scheduled request and keeps the parsers of recent hosts only.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    # UTF-16/32 pages re-encoded as UTF-8 for the adapters' byte markers (after decompression).
    "crawler.middlewares.encoding.AsciiCompatibleMiddleware": 120,
    # Sees 429/503 before Scrapy's RetryMiddleware (550) would retry them at once.
    "crawler.middlewares.politeness.RetryAfterMiddleware": 560,
    # Replay answers in place of the network, after every middleware that shapes the request.
    "crawler.middlewares.replay.WarcReplayMiddleware": 950,
}

ITEM_PIPELINES = {
    "pipelines.validate.ValidateCommunityPipeline": 100,
    "pipelines.normalize.NormalizeCommunityPipeline": 200,
    "pipelines.closed.ClosedCommunityPipeline": 250,
    "pipelines.sqlite_store.SqliteStorePipeline": 900,
}

EXTENSIONS = {
    # The frontier's site clocks apply the AUTOTHROTTLE_* settings (see SCHEDULER above).
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.warc_record.WarcRecorder": 500,
    # Judge the run (ok, degraded, failed) once the store pipeline has closed; see crawler/ops/monitors.py.
    "crawler.extensions.monitors.RunMonitors": 510,
    # Live display on a terminal, log lines under cron, a summary at the end.
    "crawler.extensions.progress.CrawlProgress": 520,
}

SPIDER_MIDDLEWARES = {
    # With JOBDIR: journal each site as scheduled, and after a kill visit again what was not stored.
    "crawler.extensions.resume.ResumableJob": 10,
}

# auto: live display when stdout is a terminal, periodic log lines otherwise; live, log or off.
TREMPLIN_PROGRESS = "auto"
TREMPLIN_PROGRESS_INTERVAL = 60
TREMPLIN_MONITORS_ENABLED = True

TREMPLIN_DB = "output/communities.db"
TREMPLIN_ALLOW_PRIVATE = False
# Loopback addresses admitted even without TREMPLIN_ALLOW_PRIVATE (tests list their own servers).
TREMPLIN_PRIVATE_ALLOWLIST: list[str] = []
TREMPLIN_REPLAY = None
TREMPLIN_REPLAY_AT = None
TREMPLIN_RECORD = None
TREMPLIN_MAX_SITES = None
# Discovery: link hops followed from the seeds, and how many sub-domains of one domain count as sites.
TREMPLIN_MAX_DEPTH = 1
TREMPLIN_MAX_SITES_PER_DOMAIN = 5
TREMPLIN_OPT_OUT_FILE = None
# Extra closed communities (crawler/closed.py), beside the shipped crawler/seeds/closed.txt.
TREMPLIN_CLOSED_FILE = None
# A longer robots.txt Crawl-delay is capped (logged, and kept in the site's evidence as crawl_delay).
TREMPLIN_MAX_CRAWL_DELAY = 60
# robots.txt bytes read, at least 500 KiB (RFC 9309 §2.5); the rest of a larger file is not read.
TREMPLIN_ROBOTSTXT_MAX_BYTES = 500 * 1024
# robots.txt parsers kept, least recently used host out (its robots.txt is fetched again if asked):
# several times the sites a crawl has in flight, 1 KiB to 40 KiB each (a long robots.txt).
TREMPLIN_ROBOTSTXT_PARSERS = 1024
TREMPLIN_MAX_RETRY_AFTER = 60
TREMPLIN_BATCH_SIZE = 50
# Requests to one site after its homepage (statistics endpoints and their alternatives).
TREMPLIN_MAX_REQUESTS_PER_SITE = 12

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# `tremplin crawl` shows a quiet terminal and installs Scrapy's own log handler only for --verbose or
# --log-file (crawler/ops/terminal.py); `scrapy crawl` keeps Scrapy's log. Items that fail or are
# dropped are named by class and id, not by every field.
LOG_FORMATTER = "crawler.ops.terminal.BriefLogFormatter"
