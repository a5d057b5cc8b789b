"""Running Tremplin unattended: run lock, resumable jobs, progress, data-quality monitors, distributed mode.

Each module is small and usable without Scrapy where it can be (the distributed loader runs the same
monitors on the same database without any crawler): ``lock`` (one run per database, stale locks
cleared), ``runs`` (run rows and events), ``jobdir`` (resume state kept beside Scrapy's JOBDIR),
``monitors`` (checks and verdict), ``progress`` (live display and summary), ``distributed``
(scrapy-redis workers and the single SQLite writer).
"""
