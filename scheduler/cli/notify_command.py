"""``newswatch notify``: how notifications stand (``status``), a test message (``test``),
and sending what is left in the outbox now (``send``); and the line ``crawl`` prints about
the messages it sent."""

from __future__ import annotations

import argparse
import json
import os
import sys

from scheduler.cli.crawl_options import add_notify_option
from scheduler.cli.exit_codes import EXIT_FAILED
from scheduler.config import Config
from scheduler.settings import SettingsError, Sources

SEND_WITHIN_SECONDS = 15.0
"""How long a command keeps retrying (attempts after 1, 2, 4, 8 s); the rest waits for the
next crawl, ``notify send`` or the service."""


def add_notify_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    notify = commands.add_parser(
        "notify",
        parents=[common],
        help="notifications: their status, a test message, sending what is left",
        description="Notifications of each crawl's changes, through Apprise URLs (--notify on crawl "
        "and run, env NEWSWATCH_NOTIFY, config key notify).",
    )
    actions = notify.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status",
        parents=[common],
        help="pending, sent and failed messages per destination, and the last error",
    )
    status.add_argument("--json", action="store_true", help="print a JSON array (the shape is in the README)")
    add_notify_option(status)
    status.set_defaults(handler=command_notify_status)
    test = actions.add_parser(
        "test", parents=[common], help="send a test message to URL, or to every configured destination"
    )
    test.add_argument("url", metavar="URL", nargs="?", help="an Apprise URL (default: the configured ones)")
    add_notify_option(test)
    test.set_defaults(handler=command_notify_test)
    send = actions.add_parser(
        "send",
        parents=[common],
        help=f"send the messages left in the outbox now, retrying for up to {SEND_WITHIN_SECONDS:.0f}s",
    )
    send.set_defaults(handler=command_notify_send)


def command_notify_status(args: argparse.Namespace) -> int:
    from scheduler.notify.destinations import shown_spec
    from storage.store import Store

    sources = Sources(vars(args), os.environ)
    config = Config.from_sources(sources)
    store = Store.open(config.database_url, config.busy_timeout)
    try:
        known = {status.destination: status for status in store.notification_statuses()}
    finally:
        store.close()
    configured = [destination.spec for destination in sources.value("notify", ())]
    rows = []
    for spec in dict.fromkeys([*configured, *known]):
        status = known.get(spec)
        rows.append(
            {
                "destination": shown_spec(spec),
                "filter": _filter_of(spec),
                "configured": spec in configured,
                "pending": status.pending if status else 0,
                "sent": status.sent if status else 0,
                "failed": status.failed if status else 0,
                "last_attempt": status.last_attempt_at.isoformat()
                if status and status.last_attempt_at
                else None,
                "last_error": status.last_error if status else None,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("no notification destinations (--notify URL, env NEWSWATCH_NOTIFY, config key notify)")
    else:
        print(_status_table(rows))
    return 0


def _filter_of(spec: str) -> str:
    from scheduler.notify.destinations import parse_destination

    try:
        return parse_destination(spec).filter.describe()
    except ValueError as error:
        return f"unusable: {error}"


def _status_table(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        gone = "" if row["configured"] else " (no longer configured)"
        lines.append(f"{row['destination']}{gone}  [{row['filter']}]")
        lines.append(
            f"  pending {row['pending']}, sent {row['sent']}, failed {row['failed']}; "
            f"last attempt {row['last_attempt'] or 'never'}"
        )
        if row["last_error"]:
            lines.append(f"  last error: {row['last_error']}")
    return "\n".join(lines)


def command_notify_test(args: argparse.Namespace) -> int:
    from scheduler.notify.destinations import parse_destination
    from scheduler.notify.sender import send_test

    sources = Sources(vars(args), os.environ)
    if args.url:
        try:
            destinations = (parse_destination(args.url),)
        except ValueError as error:
            raise SettingsError(f"command line: URL: {error}") from None
    else:
        destinations = sources.value("notify", ())
    if not destinations:
        raise SettingsError(
            "no destination to test: give a URL, --notify URL, env NEWSWATCH_NOTIFY or config key notify"
        )
    failed = 0
    for destination in destinations:
        error = send_test(destination)
        if error is None:
            print(f"sent a test message to {destination.shown}")
        else:
            failed += 1
            print(f"newswatch: test message to {destination.shown} not accepted: {error}", file=sys.stderr)
    return EXIT_FAILED if failed else 0


def command_notify_send(args: argparse.Namespace) -> int:
    from scheduler.notify.sender import send_pending
    from storage.store import Store

    config = Config.from_sources(Sources(vars(args), os.environ))
    store = Store.open(config.database_url, config.busy_timeout)
    try:
        delivery = send_pending(store, config.data_dir, within=SEND_WITHIN_SECONDS)
    finally:
        store.close()
    if not report_delivery(delivery):
        print("no notification waiting to be sent")
    return EXIT_FAILED if delivery.failed or delivery.busy else 0


def report_delivery(delivery) -> bool:
    """One line on what was sent and what waits (scheduler.notify.sender.Delivery); False
    when nothing was tried."""
    if delivery.busy:
        print(
            "notifications: another process is sending them; `newswatch notify status` shows how they stand"
        )
        return True
    if not (delivery.sent or delivery.errors or delivery.retrying):
        return False
    parts = [f"{delivery.sent} sent"]
    if delivery.retrying:
        parts.append(f"{delivery.retrying} waiting for a retry")
    if delivery.failed:
        parts.append(f"{delivery.failed} failed for good")
    line = "notifications: " + ", ".join(parts)
    if delivery.errors:
        line += f" (last error: {delivery.errors[-1]}; see `newswatch notify status`)"
    print(line)
    return True
