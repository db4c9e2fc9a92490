"""Writing the feed files: atomically, and only when their bytes change.

The feeds are served straight from disk while the scheduler regenerates them, so a reader
must never fetch a half-written file: each file is written to a temporary file in the same
directory (same file system, so the rename is atomic), flushed to disk, then renamed over
the old one. A file whose new bytes equal the old ones is not touched at all, so its mtime
(the HTTP ``Last-Modified``) and ETag survive a crawl that found nothing new.

Nor are the feeds built again from what they were last built from: a digest of the inputs
(the entries and changes read from the store, the channel, the base URL, the site labels, and
the source of the code that builds them) is kept beside the files (``.feeds-digest``), and
equal inputs leave the files as they are. A check that found nothing new is the service's
most common crawl; building four documents it would throw away was a tenth of its CPU.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, urljoin

from storage.records import ChangeRecord, StoredEntry

from .builder import build_changes_feed, build_entries_feed
from .channels import BUILT_IN_CHANNEL, Channel, FeedSite
from .json_feed import build_json_feed

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8080/"
"""Where ``newswatch run`` serves the written feed files (the data directory's feeds)."""

FEED_FILES: dict[str, str] = {
    "rss": "feed.rss",
    "atom": "feed.atom",
    "json": "feed.json",
    "changes": "changes.atom",
}
"""The files :func:`write_feeds` writes, by kind; the HTTP server serves them by these names."""

INPUTS_DIGEST_FILE = ".feeds-digest"
"""Beside the feed files: the digest of what they were built from (see the module docstring)."""

SITES_DIRECTORY = "sites"
"""The data directory's folder of per-site feeds, one folder per site by its name; the
service serves them under the same path (``/sites/NAME/feed.atom``)."""

_NEW_FILE_MODE = 0o644


def write_atomically(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically; ``False`` (and no write) if it already holds it.

    The temporary file lives next to ``path`` and is removed if anything fails, so a crash
    leaves either the old file or the new one, never a truncated one and never litter. An
    existing file's permission bits are kept; a new file gets ``0644`` (readable by a web
    server running as another user).
    """
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _NEW_FILE_MODE

    try:
        _replace(path, data, mode)
    except OSError as error:
        raise _naming_target(error, path) from error
    return True


def _replace(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``."""
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _naming_target(error: OSError, path: Path) -> OSError:
    """The error with the file the caller asked for as its file name: the temporary file is
    our device, and a message naming ``/proc/.version.x1y2.tmp`` sends the user looking for
    a file they never named."""
    if error.filename == str(path):
        return error
    reason = f"{error.strerror or error} (writing a temporary file in {path.parent})"
    return OSError(error.errno, reason, str(path))


def write_feeds(
    directory: Path,
    entries: Sequence[StoredEntry],
    changes: Sequence[ChangeRecord],
    *,
    channel: Channel = BUILT_IN_CHANNEL,
    base_url: str = DEFAULT_BASE_URL,
    generated_at: dt.datetime | None = None,
    labels: Mapping[str, FeedSite] | None = None,
) -> dict[str, Path]:
    """Write ``feed.rss``, ``feed.atom``, ``feed.json`` and ``changes.atom`` of ``channel``
    into ``directory``.

    ``entries`` (newest first, already limited to what the feed should show) feed the three
    news feeds; ``changes`` (newest first) the change-log feed. ``base_url`` is the public URL of
    ``directory`` as the HTTP server exposes it: each feed's self link is ``base_url`` joined
    with its file name (a missing trailing slash is added, so ``http://host/feeds`` means
    ``http://host/feeds/feed.atom``). ``generated_at`` (default: now) only dates an empty
    feed; ``labels`` (the sites by name) make each entry of a combined feed say its site.
    Returns the path of every feed by kind (``rss``, ``atom``, ``json``, ``changes``), whether
    or not its bytes changed.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {kind: directory / name for kind, name in FEED_FILES.items()}
    digest = inputs_digest(entries, changes, channel, base_url, labels)
    if _built_from(directory, paths) == digest:
        log.debug("feeds in %s: built from the same entries and changes already", directory)
        return paths
    when = generated_at or dt.datetime.now(dt.UTC)
    documents: dict[str, bytes] = {
        kind: build_entries_feed(
            entries,
            kind,
            self_url=feed_url(base_url, kind),
            channel=channel,
            generated_at=when,
            labels=labels,
        )
        for kind in ("rss", "atom")
    }
    documents["json"] = build_json_feed(entries, self_url=feed_url(base_url, "json"), channel=channel)
    documents["changes"] = build_changes_feed(
        changes,
        self_url=feed_url(base_url, "changes"),
        channel=channel,
        generated_at=when,
        labels=labels,
    )

    for kind, data in documents.items():
        changed = write_atomically(paths[kind], data)
        log.debug("feed %s %s", paths[kind], "written" if changed else "unchanged")
    write_atomically(directory / INPUTS_DIGEST_FILE, digest.encode("ascii"))
    return paths


def inputs_digest(
    entries: Sequence[StoredEntry],
    changes: Sequence[ChangeRecord],
    channel: Channel,
    base_url: str,
    labels: Mapping[str, FeedSite] | None,
) -> str:
    """A digest of everything the feeds' bytes depend on, the building code included. An
    empty feed is dated when it is built: built from the same nothing, it keeps its date."""
    inputs = (_builder_source_digest(), tuple(entries), tuple(changes), channel, base_url)
    labelled = sorted((labels or {}).items())
    return hashlib.sha256(repr((*inputs, labelled)).encode("utf-8")).hexdigest()


def _built_from(directory: Path, paths: Mapping[str, Path]) -> str | None:
    """The digest the feeds in ``directory`` were built from; None if one of them is missing."""
    if not all(path.exists() for path in paths.values()):
        return None
    try:
        return (directory / INPUTS_DIGEST_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


@functools.cache
def _builder_source_digest() -> str:
    """The code that turns the inputs into bytes: this package's modules and feedgen's
    version. A newswatch that writes its feeds differently builds them again."""
    from importlib.metadata import version

    source = hashlib.sha256(version("feedgen").encode("utf-8"))
    for module in sorted(Path(__file__).parent.glob("*.py")):
        source.update(module.read_bytes())
    return source.hexdigest()


def feed_url(base_url: str, kind: str) -> str:
    """Where the service serves the feed of ``kind``: its self link."""
    return urljoin(_directory_url(base_url), FEED_FILES[kind])


def site_directory(data_dir: Path, name: str) -> Path:
    """Where one site's own feeds are written: ``DATA_DIR/sites/NAME/``."""
    return Path(data_dir) / SITES_DIRECTORY / name


def site_base_url(base_url: str, name: str) -> str:
    """Where the service serves one site's own feeds: ``BASE_URL/sites/NAME/``."""
    return urljoin(_directory_url(base_url), f"{SITES_DIRECTORY}/{quote(name)}/")


def _directory_url(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
