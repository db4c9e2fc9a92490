"""The ``newswatch`` command: run one command, and turn every error into one line.

What a user can act on is one line on stderr and an exit code (scheduler.cli.exit_codes),
never a traceback. The commands are in scheduler.cli.commands, their options in
scheduler.cli.parser.
"""

from __future__ import annotations

import os
import select
import sys

from scheduler.cli.exit_codes import EXIT_BROKEN_PIPE, EXIT_FAILED, EXIT_USAGE
from scheduler.cli.parser import build_parser
from scheduler.crawl_lock import CrawlBusy
from scheduler.logging_setup import configure_logging
from scheduler.quiet_imports import one_command_process
from scheduler.settings import SETTINGS, SettingsError

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_FAILED", "EXIT_USAGE", "command_line", "main"]


def command_line() -> int:
    """The ``newswatch`` program (its console script, ``python -m scheduler.cli.main``): one
    command, then the process ends, so what the command imports is frozen for the cycle
    collector (scheduler.quiet_imports)."""
    one_command_process()
    return main()


def main(argv: list[str] | None = None) -> int:
    """Run one command; what the user can act on is one line on stderr, never a traceback:
    a bad setting exits 2, a database that fails or a data directory that cannot be written 1."""
    args = build_parser().parse_args(argv)
    configure_logging(quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a reader that went away is seen here, not at the exit
        return code
    except BrokenPipeError as error:
        if _stdout_reader_gone():
            return _reader_went_away()
        print(f"newswatch: {_os_error_line(error)}", file=sys.stderr)  # another pipe: a failure
        return EXIT_FAILED
    except SettingsError as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (_if_imported("storage.database", "DatabaseError"), CrawlBusy) as error:
        print(f"newswatch: {error}", file=sys.stderr)
        return EXIT_FAILED
    except _if_imported("sqlalchemy.exc", "SQLAlchemyError") as error:
        print(f"newswatch: {_database_error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"newswatch: {_os_error_line(error)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("newswatch: interrupted", file=sys.stderr)
        return 130


class _NeverRaised(Exception):
    """Stands in an ``except`` clause for the errors of a module the command never imported."""


def _if_imported(module: str, name: str) -> type[BaseException]:
    """The exception class ``module.name`` if the command imported its module, else one that
    nothing raises. An ``except`` clause is evaluated only when an error reaches it, and a
    command that never opened the store cannot have raised the store's errors: so ``--help``
    need not import SQLAlchemy just to be ready to catch them."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name) if loaded is not None else _NeverRaised


def _stdout_reader_gone() -> bool:
    """True when standard output is a pipe nobody reads any more (poll reports an error on
    it), so that a broken pipe elsewhere (a crawl child's) is not mistaken for it."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor, or no poll() here
        return False


def _reader_went_away() -> int:
    """``newswatch changes | head -1``: the reader has what it wanted. Say nothing, as Unix
    tools do, and exit as one killed by SIGPIPE would (128 + 13). Standard output goes to
    /dev/null first, so that Python's own flush at the exit does not fail again (the Python
    docs' advice on SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def _database_error_line(error: Exception) -> str:
    """An SQLAlchemy error as one line, with what the user can do about a lock or a damaged file."""
    from storage.database import error_line, is_damaged, waited_for_lock

    line = f"database error: {error_line(error)}"
    if waited_for_lock(error):
        line += f" (another process kept it locked for longer than the busy timeout, {SETTINGS['db_busy_timeout'].env})"
    elif is_damaged(error):
        line += " (the database file is damaged: restore it from a backup)"
    return line


def _os_error_line(error: OSError) -> str:
    """``cannot use /data/crawl-csto-en.lock: Permission denied`` rather than a traceback."""
    if error.filename is None:
        return error.strerror or str(error)
    return f"cannot use {error.filename}: {error.strerror or error}"


if __name__ == "__main__":
    sys.exit(command_line())
