"""The crawl queue and the per-site politeness slots in Redis, for workers on many machines.

Why the redis client and not scrapy-redis: scrapy-redis pops a request destructively (a worker
killed mid-crawl loses it), keeps no lease to renew, does not deduplicate seed URLs, and reads its
queue only when the spider idles. keika needs the opposite on each point, so the queue is a few
Lua scripts over plain keys (every script runs atomically, with Redis's own clock):

    PREFIX:queue   sorted set  page key -> when queued (ms)        waiting pages, oldest first
    PREFIX:held    sorted set  page key -> lease expiry (ms)       pages a worker holds
    PREFIX:owner   hash        page key -> worker id
    PREFIX:payload hash        page key -> JSON (the seed and how to run it)
    PREFIX:since   hash        page key -> when queued (ms)
    PREFIX:crawl   hash        page key -> the crawl id its holder opened

A page is queued only if it is neither waiting nor held (dedupe by page key). A claim first puts
back every page whose lease ran out (its worker died), then moves the oldest waiting pages to
`held` for one worker. The worker renews its leases while it crawls and acks a page once stored.

Site slots: `PREFIX:site:HOST:inflight` (token -> expiry) and `PREFIX:site:HOST:last` (the last
request start, ms) let every worker together send at most N requests at once to a host and start
them at least the delay apart; `PREFIX:site:HOST:hold` (until when, ms) holds the site back for
every worker when one of them was told to wait (a 503's Retry-After, failures in a row).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storage.queue import ClaimedPage, QueueStats

DEFAULT_PREFIX = "keika"

_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

ENQUEUE = (
    _NOW
    + """
local added = {}
for i = 1, #ARGV, 2 do
  local k = ARGV[i]
  if not redis.call('ZSCORE', KEYS[1], k) and not redis.call('ZSCORE', KEYS[2], k) then
    redis.call('ZADD', KEYS[1], now, k)
    redis.call('HSET', KEYS[3], k, ARGV[i + 1])
    redis.call('HSET', KEYS[4], k, now)
    table.insert(added, k)
  end
end
return added
"""
)

# KEYS: queue held owner payload crawl since; ARGV: worker limit ttl_ms
CLAIM = (
    _NOW
    + """
for _, k in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[2], k)
  redis.call('HDEL', KEYS[3], k)
  redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[6], k) or now), k)
end
local out = {}
for _, k in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  redis.call('ZREM', KEYS[1], k)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), k)
  redis.call('HSET', KEYS[3], k, ARGV[1])
  table.insert(out, k)
  table.insert(out, redis.call('HGET', KEYS[4], k) or '{}')
  table.insert(out, redis.call('HGET', KEYS[5], k) or '')
end
return out
"""
)

# KEYS: held owner payload crawl since; ARGV: worker key
ACK = """
if redis.call('HGET', KEYS[2], ARGV[2]) ~= ARGV[1] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[2])
redis.call('HDEL', KEYS[5], ARGV[2])
return 1
"""

# KEYS: owner crawl; ARGV: worker key crawl_id
SET_CRAWL = """
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: held owner; ARGV: worker ttl_ms key...
RENEW = (
    _NOW
    + """
local kept = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i])
    table.insert(kept, ARGV[i])
  end
end
return kept
"""
)

# KEYS: queue held owner payload crawl since; ARGV: worker [key...] (none: all of its keys)
RELEASE = """
local keys = {}
if #ARGV > 1 then
  for i = 2, #ARGV do table.insert(keys, ARGV[i]) end
else
  local all = redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    if all[i + 1] == ARGV[1] then table.insert(keys, all[i]) end
  end
end
local out = {}
for _, k in ipairs(keys) do
  if redis.call('HGET', KEYS[3], k) == ARGV[1] then
    redis.call('ZREM', KEYS[2], k)
    redis.call('HDEL', KEYS[3], k)
    redis.call('ZADD', KEYS[1], tonumber(redis.call('HGET', KEYS[6], k) or 0), k)
    table.insert(out, k)
    table.insert(out, redis.call('HGET', KEYS[4], k) or '{}')
    table.insert(out, redis.call('HGET', KEYS[5], k) or '')
  end
end
return out
"""

# KEYS: inflight last; ARGV: token max_in_flight delay_ms lease_ms -> 0 (granted) or ms to wait
ACQUIRE_SLOT = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = tonumber(redis.call('GET', KEYS[3]) or '0') - now
if held > 0 then return held end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 50 end
local wait = tonumber(redis.call('GET', KEYS[2]) or '0') + tonumber(ARGV[3]) - now
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], now, 'PX', 86400000)
return 0
"""
)

HOLD_SITE = (
    _NOW
    + """
local till = now + tonumber(ARGV[1])
if till > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], till, 'PX', tonumber(ARGV[1]))
end
return till
"""
)


def split_redis_url(url: str) -> tuple[str, str]:
    """`redis://host:port/db?prefix=NAME` -> (the URL redis-py takes, the key prefix)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    prefix = query.pop("prefix", DEFAULT_PREFIX)
    return urlunsplit(parts._replace(query=urlencode(query))), prefix


def connect(url: str) -> Any:
    import redis

    plain, _prefix = split_redis_url(url)
    return redis.Redis.from_url(plain, decode_responses=True, socket_timeout=10)


def _triples(raw: Sequence[str]) -> list[ClaimedPage]:
    out = []
    for i in range(0, len(raw), 3):
        crawl = raw[i + 2]
        out.append(ClaimedPage(raw[i], json.loads(raw[i + 1]), int(crawl) if crawl else None))
    return out


class RedisQueue:
    """The crawl queue in Redis (see the module docstring); the methods of queues.DbQueue."""

    kind = "redis"

    def __init__(self, url: str) -> None:
        self.url = url
        _plain, self.prefix = split_redis_url(url)
        self.redis = connect(url)
        names = ("queue", "held", "owner", "payload", "crawl", "since")
        self.k = {name: f"{self.prefix}:{name}" for name in names}
        r = self.redis
        self._enqueue = r.register_script(ENQUEUE)
        self._claim = r.register_script(CLAIM)
        self._ack = r.register_script(ACK)
        self._set_crawl = r.register_script(SET_CRAWL)
        self._renew = r.register_script(RENEW)
        self._release = r.register_script(RELEASE)

    @property
    def display(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path} (prefix {self.prefix})"

    def _all(self) -> list[str]:
        k = self.k
        return [k["queue"], k["held"], k["owner"], k["payload"], k["crawl"], k["since"]]

    def enqueue(self, payloads: Mapping[str, dict[str, Any]]) -> list[str]:
        if not payloads:
            return []
        k = self.k
        args: list[str] = []
        for key, payload in payloads.items():
            args += [key, json.dumps(payload, ensure_ascii=False)]
        keys = [k["queue"], k["held"], k["payload"], k["since"]]
        return list(self._enqueue(keys=keys, args=args))

    def claim(self, worker: str, limit: int, ttl: float) -> list[ClaimedPage]:
        if limit <= 0:
            return []
        return _triples(self._claim(keys=self._all(), args=[worker, limit, int(ttl * 1000)]))

    def set_crawl(self, worker: str, key: str, crawl_id: int) -> bool:
        return bool(
            self._set_crawl(keys=[self.k["owner"], self.k["crawl"]], args=[worker, key, crawl_id])
        )

    def ack(self, worker: str, key: str) -> bool:
        k = self.k
        keys = [k["held"], k["owner"], k["payload"], k["crawl"], k["since"]]
        return bool(self._ack(keys=keys, args=[worker, key]))

    def renew(self, worker: str, ttl: float, keys: Sequence[str]) -> list[str]:
        if not keys:
            return []
        args = [worker, int(ttl * 1000), *keys]
        return list(self._renew(keys=[self.k["held"], self.k["owner"]], args=args))

    def release(self, worker: str, keys: Sequence[str] | None = None) -> list[ClaimedPage]:
        if keys is not None and not keys:
            return []
        return _triples(self._release(keys=self._all(), args=[worker, *(keys or [])]))

    def stats(self) -> QueueStats:
        r, k = self.redis, self.k
        seconds, micros = r.time()
        now = seconds * 1000 + micros // 1000
        waiting = r.zrange(k["queue"], 0, -1, withscores=True)
        held = r.zrange(k["held"], 0, -1, withscores=True)
        owners = r.hgetall(k["owner"])
        expired = [key for key, until in held if until < now]
        since = [score for _key, score in waiting]
        since += [float(r.hget(k["since"], key) or now) for key in expired]
        by_worker: dict[str, list[str]] = {}
        for key, until in held:
            if until >= now and key in owners:
                by_worker.setdefault(owners[key], []).append(key)
        oldest = datetime.fromtimestamp(min(since) / 1000, UTC) if since else None
        return QueueStats(len(waiting) + len(expired), oldest, by_worker)

    def holders(self) -> list[str]:
        return sorted(set(self.redis.hvals(self.k["owner"])))

    def close(self) -> None:
        self.redis.close()


@dataclass
class SiteSlots:
    """Per-host request slots shared by every worker (see the module docstring)."""

    url: str

    def __post_init__(self) -> None:
        _plain, self.prefix = split_redis_url(self.url)
        self.redis = connect(self.url)
        self._acquire = self.redis.register_script(ACQUIRE_SLOT)
        self._hold = self.redis.register_script(HOLD_SITE)

    def _keys(self, host: str) -> list[str]:
        site = f"{self.prefix}:site:{host}"
        return [f"{site}:inflight", f"{site}:last", f"{site}:hold"]

    def acquire(
        self, host: str, token: str, max_in_flight: int, delay: float, lease: float
    ) -> float:
        """0 if the request may start now (and it is counted), else seconds to wait first."""
        args = [token, max_in_flight, int(delay * 1000), int(lease * 1000)]
        return int(self._acquire(keys=self._keys(host), args=args)) / 1000

    def release(self, host: str, token: str) -> None:
        self.redis.zrem(self._keys(host)[0], token)

    def hold(self, host: str, seconds: float) -> None:
        """No worker starts a request to `host` for `seconds` (a longer hold already set stays)."""
        self._hold(keys=self._keys(host)[2:], args=[max(1, int(seconds * 1000))])
