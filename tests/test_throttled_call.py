"""The combined feeds of many sites are rebuilt at most once in an interval, and never owed
at the end (crawler.throttled_call)."""

from __future__ import annotations

from twisted.internet.task import Clock

from crawler.throttled_call import ThrottledCall


def throttled(interval: float = 10.0, fail_times: int = 0):
    clock, runs = Clock(), []

    def action() -> None:
        runs.append(clock.seconds())
        if len(runs) <= fail_times:
            raise OSError("disk full")

    return ThrottledCall(action, interval, clock, what="write the feeds"), clock, runs


def test_the_first_ask_runs_at_once():
    call, clock, runs = throttled()
    clock.advance(3)
    call()
    assert runs == [3]


def test_asks_within_the_interval_make_one_run_when_it_ends():
    call, clock, runs = throttled()
    call()
    for _ in range(5):
        clock.advance(1)
        call()
    assert runs == [0]
    clock.advance(4)  # 9 s after the first run
    assert runs == [0]
    clock.advance(1)
    assert runs == [0, 10]
    clock.advance(30)
    assert runs == [0, 10], "nothing was asked for since"


def test_an_ask_after_the_interval_runs_at_once():
    call, clock, runs = throttled()
    call()
    clock.advance(12)
    call()
    assert runs == [0, 12]


def test_the_end_runs_what_is_owed_and_nothing_else():
    call, clock, runs = throttled()
    call()
    clock.advance(2)
    call()
    call.flush()
    assert runs == [0, 2]
    clock.advance(20)
    assert runs == [0, 2], "the flushed run is not run again by its timer"
    call.flush()
    assert runs == [0, 2]


def test_a_failed_run_is_owed_until_one_succeeds(caplog):
    call, clock, runs = throttled(fail_times=1)
    call()
    assert "could not write the feeds" in caplog.text
    call.flush()
    assert runs == [0, 0]
    call.flush()
    assert runs == [0, 0]
