"""The newest schema revision this release knows, read from the migration scripts without
Alembic: opening a store already at it must cost one query, not Alembic's import.

A leaf of the store: no SQLAlchemy, so that storage.quick_read can check a store's revision
with the standard library alone.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*(?:["'](\w+)["']|None)""", re.MULTILINE)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the scripts' ``revision`` and
    ``down_revision`` lines: the one no other script follows (None if the history is not
    one line of revisions, which Alembic then sorts out)."""
    revisions, followed = set(), set()
    for script in MIGRATIONS.joinpath("versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            (revisions if name == "revision" else followed).add(value)
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None
