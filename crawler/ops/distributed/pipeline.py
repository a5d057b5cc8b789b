"""Send items to the loader through Redis instead of writing SQLite (workers never open the database)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy_redis import connection
from scrapy_redis.pipelines import RedisPipeline

from crawler.ops.distributed.codec import CodecError, encode_item

logger = logging.getLogger(__name__)


class RedisItemPipeline(RedisPipeline):
    """scrapy-redis's item pipeline with Tremplin's JSON envelope, pushing synchronously.

    The parent defers each push to a thread and takes the deprecated ``spider`` argument; an
    ``RPUSH`` to a nearby Redis takes well under a millisecond, and pushing in order keeps each
    site's items together for the loader's batches.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisItemPipeline:
        settings = crawler.settings
        return cls(
            server=connection.from_settings(settings), key=settings["REDIS_ITEMS_KEY"], serialize_func=encode_item
        )

    def process_item(self, item: Any) -> Any:
        try:
            data = self.serialize(item)
        except CodecError:
            logger.warning("item not sent to the loader: %r", item)
            return item
        self.server.rpush(self.key, data)
        return item
