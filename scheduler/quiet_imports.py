"""Importing a command's libraries without the cycle collector walking them.

A crawl imports about a thousand modules (Scrapy, Twisted, SQLAlchemy, lxml and their
dependencies), and a command that reads the store imports SQLAlchemy's ORM. Imports make
hundreds of thousands of objects that live as long as the process, and next to no garbage;
but the collector counts every new object, so it ran about 220 times during a crawl's
imports and walked the same survivors again and again, freeing nothing. Held off and then
frozen (below), a cold crawl that found nothing new (`newswatch crawl` against the
benchmark's mirror) took 7% fewer instructions (valgrind's callgrind) and 22% less CPU time
(6 paired runs): a collection is mostly waiting on memory, since it touches every object.

Turning the collector off while importing only defers that walk: the imported objects all
wait in the youngest generation, and the first collection after walks them. So a process
that runs one command and ends (:func:`one_command_process`, the ``newswatch`` program)
also freezes them (``gc.freeze``): they are never walked again. ``gc.freeze`` freezes every
object there is, and a frozen object is never collected, not even at exit, where the last
collection is what closes a store's connections. So it is done only after a window that
imported something, and a command imports before it opens anything. A caller that runs on
(tests, a library user calling ``main`` many times) is not frozen: freezing would also keep
whatever garbage it had not yet collected for the rest of its life.

The crawl fork server (scheduler.service.crawl_preload) freezes what it imported for a
second reason, as Python's ``gc.freeze`` documentation advises before forking: a child's
collections then never write to the imported objects, so their pages stay shared with the
fork server instead of being copied into every crawl.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator

_freezing = False
"""Whether this process runs one command and ends (see the module's docstring)."""


def one_command_process() -> None:
    """Say that this process runs one command and ends: from now on, what is imported within
    :func:`quiet_imports` is frozen."""
    global _freezing
    _freezing = True


@contextlib.contextmanager
def quiet_imports() -> Iterator[None]:
    """Within: no automatic collection. After: in a one-command process, everything that
    exists is frozen if the window imported a module; the collector is on again unless the
    caller had turned it off."""
    was_enabled = gc.isenabled()
    modules_before = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if _freezing and len(sys.modules) > modules_before:
            gc.freeze()
        if was_enabled:
            gc.enable()
