"""The shared cache (Redis in production, see settings: REDIS_URL).

Django's Redis client builds a new ``redis.Redis`` for every cache operation; with redis-py 8
that is ~0.3 ms each (its response callbacks are set up again every time), and a signed-in page
makes two or three (the session, the header's counts, the menu). A ``redis.Redis`` shares its
connection pool safely between threads, so one per pool is kept for the life of the process.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
