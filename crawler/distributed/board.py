"""The Redis side of crawl cycles, shared by the coordinator and the workers.

Every key starts with one prefix, so that several installations (or tests) share a server.

* ``P:queue``: the requests to fetch, oldest first (a list; LPUSH in, LMOVE out);
* ``P:processing:W``: the requests worker W took and has not finished; W's lease is
  ``P:alive:W``, a key it renews every second. A request goes back to the queue when its
  worker's lease expires (:meth:`CycleBoard.reap`): a worker killed mid-page loses nothing.
* ``P:pending:C``: requests of crawl cycle C queued or in flight. It rises as a request is
  pushed and falls only as one is finished (the request left the worker's processing list),
  a page's links being pushed before the page is finished, so it reaches 0 once, when the
  cycle is done.
* ``P:cycle:C``: what cycle C crawls (its plan); ``P:counts:C`` its counts; ``P:seen:C`` the
  fingerprints of its requests (the duplicate filter, per cycle, as a site is crawled again
  every cycle); ``P:cycles`` the open cycles; ``P:site:S`` the open cycle of site S, so two
  coordinators never open two cycles of one site; ``P:fetches:C`` how many of its requests
  were taken, against its page limit.
* ``P:delay:HOST`` and ``P:inflight:HOST``: a host's delay lease and the requests in flight to
  it (token: worker), for its politeness across workers (crawler.distributed.politeness).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable
from dataclasses import dataclass

import redis

COUNTED = ("pages", "items_seen", "errors", "warnings", "unchanged", "gone")
"""A cycle's counts, summed over its workers (crawler.counters.CrawlCounters' fields)."""
LEASE_MS = 5000
"""A worker that has not renewed its lease for this long is taken for dead."""
SEEN_TTL_SECONDS = 2 * 24 * 3600
"""A cycle's keys expire this long after their last use, should its coordinator never close it."""
CLAIM_MS = 60_000
"""How long a coordinator may take between claiming a site and opening its cycle."""
TIMEOUT_SECONDS = 5.0
"""How long a Redis command may go unanswered: a server lost without a word (a network cut)
is then an error, which the worker outlives (crawler.distributed.outages), not a hang."""

_ACK = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
  return redis.call('DECR', KEYS[2])
end
return -1
"""
"""Finish one request: out of the worker's processing list and, only if it was still there
(not reaped meanwhile), one fewer pending in its cycle."""

_REAP = """
local reaped = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. ':alive:' .. worker) == 0 then
    local held = ARGV[1] .. ':processing:' .. worker
    while redis.call('LMOVE', held, KEYS[2], 'LEFT', 'RIGHT') do reaped = reaped + 1 end
    redis.call('SREM', KEYS[1], worker)
  end
end
return reaped
"""
"""Every request held by a worker whose lease expired goes back to the head of the queue."""

_GIVE_BACK = """
if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
  redis.call('LPUSH', KEYS[2], ARGV[1])
  return 1
end
return 0
"""
"""A request the worker could not store goes from its processing list to the end of the queue,
still pending in its cycle; unless it was reaped meanwhile (it is queued already)."""

_TAKE_SLOT = """
local fields = redis.call('HGETALL', KEYS[1])
local held = 0
for i = 1, #fields, 2 do
  if redis.call('EXISTS', ARGV[1] .. ':alive:' .. fields[i + 1]) == 0 then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    held = held + 1
  end
end
if held < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
  return 1
end
return 0
"""
"""One of a host's in-flight slots, if fewer than the limit are held; a slot held by a worker
whose lease expired is free again (a worker killed mid-page leaves none behind)."""


@dataclass(frozen=True)
class CyclePlan:
    """What a worker needs to know of a cycle: enough to rebuild its crawler.plan.CrawlPlan."""

    crawl_id: int
    site: str
    start_urls: tuple[str, ...]
    full: bool
    walk_listings: bool
    delay: float
    recheck_days: float
    article_pattern: str | None = None
    """The site's article rule as given (a worker that must learn it learns it from the
    listing pages it fetches: give it, in the sites file, for a cycle spread over workers)."""
    max_pages: int = 0
    """Requests of the cycle fetched at most, over all workers (0: no limit)."""
    language: str | None = None
    """The site's language, if the sites file gives it (crawler.plan.CrawlPlan.language)."""

    def as_hash(self) -> dict[str, str]:
        return {"plan": json.dumps(self.__dict__ | {"start_urls": list(self.start_urls)})}

    @classmethod
    def from_hash(cls, fields: dict[bytes, bytes]) -> CyclePlan:
        values = json.loads(fields[b"plan"])
        return cls(**values | {"start_urls": tuple(values["start_urls"])})


def encode(request_dict: dict) -> bytes:
    """A request as it travels in Redis: scrapy-redis's own encoding (pickle of
    Request.to_dict), so the queue holds what its scheduler expects."""
    return pickle.dumps(request_dict, protocol=-1)


def decode(raw: bytes) -> dict:
    return pickle.loads(raw)  # only our own workers and coordinators write the queue


class CycleBoard:
    """The keys of one installation in one Redis, and every operation on them."""

    def __init__(self, server: redis.Redis, prefix: str) -> None:
        self.server = server
        self.prefix = prefix
        self._ack = server.register_script(_ACK)
        self._reap = server.register_script(_REAP)
        self._take_slot = server.register_script(_TAKE_SLOT)
        self._give_back = server.register_script(_GIVE_BACK)

    @classmethod
    def connect(cls, url: str, prefix: str) -> CycleBoard:
        timeouts = {"socket_timeout": TIMEOUT_SECONDS, "socket_connect_timeout": TIMEOUT_SECONDS}
        return cls(redis.Redis.from_url(url, health_check_interval=10, **timeouts), prefix)

    def key(self, *parts: object) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    # -- the queue ------------------------------------------------------------------------

    @property
    def queue(self) -> str:
        return self.key("queue")

    def queued(self) -> int:
        return self.server.llen(self.queue)

    def push(self, raw: bytes, crawl_id: int) -> None:
        """Queue one request and count it pending in its cycle, together."""
        with self.server.pipeline(transaction=True) as pipe:
            pipe.lpush(self.queue, raw)
            pipe.incr(self.key("pending", crawl_id))
            pipe.execute()

    def take(self, worker: str) -> bytes | None:
        """The oldest queued request, moved into ``worker``'s processing list (not removed:
        if the worker dies before finishing it, it is queued again)."""
        return self.server.lmove(self.queue, self.key("processing", worker), "RIGHT", "LEFT")

    def finish(self, worker: str, raw: bytes, crawl_id: int) -> None:
        self._ack(keys=[self.key("processing", worker), self.key("pending", crawl_id)], args=[raw])

    def give_back(self, worker: str, raw: bytes) -> None:
        """The request goes back to the queue unfinished, to be fetched again."""
        self._give_back(keys=[self.key("processing", worker), self.queue], args=[raw])

    def held(self, worker: str) -> list[bytes]:
        return self.server.lrange(self.key("processing", worker), 0, -1)

    # -- leases ---------------------------------------------------------------------------

    def renew_lease(self, worker: str) -> None:
        with self.server.pipeline(transaction=True) as pipe:
            pipe.sadd(self.key("workers"), worker)
            pipe.set(self.key("alive", worker), 1, px=LEASE_MS)
            pipe.execute()

    def release(self, worker: str) -> int:
        """A worker stopping: its lease ends now, and what it held is queued again."""
        self.server.delete(self.key("alive", worker))
        return self.reap()

    def reap(self) -> int:
        """Requeue what dead workers held; how many requests went back."""
        return int(self._reap(keys=[self.key("workers"), self.queue], args=[self.prefix]))

    # -- politeness -----------------------------------------------------------------------

    def take_delay(self, host: str, delay: float) -> int:
        """0 when the host's delay lease is now this caller's; else milliseconds to wait."""
        lease = self.key("delay", host)
        if self.server.set(lease, 1, nx=True, px=max(1, round(delay * 1000))):
            return 0
        return max(1, self.server.pttl(lease))

    def take_slot(self, host: str, worker: str, token: str, limit: int) -> bool:
        """True when ``token`` now holds one of the host's ``limit`` in-flight slots."""
        return bool(
            self._take_slot(keys=[self.key("inflight", host)], args=[self.prefix, limit, token, worker])
        )

    def free_slot(self, host: str, token: str) -> None:
        self.server.hdel(self.key("inflight", host), token)

    def take_page(self, crawl_id: int) -> int:
        """One more request of the cycle taken: how many were, this one included."""
        fetches = self.key("fetches", crawl_id)
        with self.server.pipeline(transaction=True) as pipe:
            pipe.incr(fetches)
            pipe.expire(fetches, SEEN_TTL_SECONDS)
            taken, _ = pipe.execute()
        return int(taken)

    # -- the duplicate filter -------------------------------------------------------------

    def first_seen(self, crawl_id: int, fingerprint: str) -> bool:
        """True the first time ``fingerprint`` is met in this cycle."""
        seen = self.key("seen", crawl_id)
        with self.server.pipeline(transaction=True) as pipe:
            pipe.sadd(seen, fingerprint)
            pipe.expire(seen, SEEN_TTL_SECONDS)
            added, _ = pipe.execute()
        return bool(added)

    # -- cycles ---------------------------------------------------------------------------

    def claim_site(self, site: str) -> bool:
        """True when no cycle of ``site`` is open, and none can be opened by anyone else now."""
        return bool(self.server.set(self.key("site", site), "claimed", nx=True, px=CLAIM_MS))

    def unclaim_site(self, site: str) -> None:
        self.server.delete(self.key("site", site))

    def open_cycle(self, plan: CyclePlan, start: Iterable[tuple[str, bytes]]) -> None:
        """Open the cycle with its start requests (fingerprint, encoded request), all at once."""
        start = list(start)
        with self.server.pipeline(transaction=True) as pipe:
            pipe.set(self.key("site", plan.site), plan.crawl_id)
            pipe.hset(self.key("cycle", plan.crawl_id), mapping=plan.as_hash())
            for fingerprint, raw in start:
                pipe.sadd(self.key("seen", plan.crawl_id), fingerprint)
                pipe.lpush(self.queue, raw)
            pipe.incrby(self.key("pending", plan.crawl_id), len(start))
            pipe.expire(self.key("seen", plan.crawl_id), SEEN_TTL_SECONDS)
            pipe.sadd(self.key("cycles"), plan.crawl_id)
            pipe.execute()

    def plan_of(self, crawl_id: int) -> CyclePlan | None:
        fields = self.server.hgetall(self.key("cycle", crawl_id))
        return CyclePlan.from_hash(fields) if fields else None

    def open_cycles(self) -> list[int]:
        return sorted(int(member) for member in self.server.smembers(self.key("cycles")))

    def pending(self, crawl_id: int) -> int:
        return int(self.server.get(self.key("pending", crawl_id)) or 0)

    def count(self, crawl_id: int, deltas: dict[str, int]) -> None:
        changed = {name: delta for name, delta in deltas.items() if delta}
        if changed:
            with self.server.pipeline(transaction=False) as pipe:
                for name, delta in changed.items():
                    pipe.hincrby(self.key("counts", crawl_id), name, delta)
                pipe.execute()

    def counts(self, crawl_id: int) -> dict[str, int]:
        stored = self.server.hgetall(self.key("counts", crawl_id))
        return {name: int(stored.get(name.encode(), 0)) for name in COUNTED}

    def take_for_closing(self, crawl_id: int) -> bool:
        """True for the one coordinator that closes the cycle."""
        return bool(self.server.srem(self.key("cycles"), crawl_id))

    def forget(self, plan: CyclePlan) -> None:
        """A closed cycle's keys, gone: its site may open the next one."""
        crawl_id = plan.crawl_id
        self.server.delete(
            *(self.key(kind, crawl_id) for kind in ("cycle", "pending", "seen", "counts", "fetches")),
            self.key("site", plan.site),
        )
