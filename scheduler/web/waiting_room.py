"""Connections wait here, holding no worker thread, until their request head has arrived.

cheroot hands a connection to a worker thread as soon as it is accepted (or, kept alive, as
soon as a byte of its next request arrives), and the worker then waits for the rest of the
head. A client that connects and sends nothing, or sends its head a byte at a time, so holds
a worker; a hundred such clients hold them all, and nobody else is answered. Here one thread
watches the waiting connections (epoll, edge-triggered: it looks at a connection only when
new bytes arrive) and peeks at what they sent, without consuming it; a connection goes to the
workers once its head is complete (or too large, which the worker refuses with 413, or
closed by the client). One whose head has not arrived by the deadline is answered
``408 Request Timeout`` and closed here.

A worker does hold its connection while it sends the answer, so a client that reads slowly
holds one; the room lets at most ``per_client`` connections of one client address be with
the workers at a time, and the others of that address wait here, heads complete, for one of
them to be done. One client, however many connections it opens, so never holds all workers.

Without epoll (not Linux) connections go to the workers at once, as cheroot does, and the
workers' own head deadline (scheduler.web.slow_clients) still bounds them.
"""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable

from scheduler.web.slow_clients import TOO_SLOW

TICK_SECONDS = 0.25
HEAD_ENDS = (b"\r\n\r\n", b"\n\n")
TIMEOUT_ANSWER = (
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nConnection: close\r\n"
    f"Content-Length: {len(TOO_SLOW)}\r\n\r\n{TOO_SLOW}"
).encode("ascii")
WATCHED = getattr(select, "EPOLLIN", 0) | getattr(select, "EPOLLRDHUP", 0) | getattr(select, "EPOLLET", 0)


class WaitingRoom:
    """Admits cheroot connections and dispatches each once its request head is in."""

    def __init__(
        self, dispatch: Callable, deadline_seconds: float, max_head_bytes: int, per_client: int
    ) -> None:
        self._to_workers = dispatch
        self._per_client = per_client
        self._busy: Counter[str | None] = Counter()
        self._queued: dict[str | None, deque] = {}
        self._slots_lock = threading.Lock()
        self._deadline_seconds = deadline_seconds
        self._max_head_bytes = max_head_bytes
        self._epoll = select.epoll() if hasattr(select, "epoll") else None
        self._waiting: dict[int, tuple[object, float]] = {}
        self._incoming: queue.SimpleQueue = queue.SimpleQueue()
        self._wake_in, self._wake_out = socket.socketpair()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="http-waiting-room", daemon=True)

    @property
    def waiting(self) -> int:
        """How many connections wait for their head (read from another thread: a snapshot)."""
        return len(self._waiting) + self._incoming.qsize()

    def start(self) -> None:
        if self._epoll is not None:
            self._wake_in.setblocking(False)
            self._epoll.register(self._wake_in.fileno(), select.EPOLLIN)
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._wake()
        if self._thread.is_alive():
            self._thread.join(2)

    def admit(self, conn) -> None:
        """Any thread: a new or kept-alive connection that has, or will have, a request."""
        if self._epoll is None or self._stopped.is_set() or conn.rfile.has_data():
            self._dispatch(conn)
        else:
            self._incoming.put(conn)
            self._wake()

    def _dispatch(self, conn) -> None:
        """To the workers, unless its client has ``per_client`` connections there already."""
        address = getattr(conn, "remote_addr", None)
        with self._slots_lock:
            if self._busy[address] >= self._per_client:
                self._queued.setdefault(address, deque()).append(conn)
                return
            self._busy[address] += 1
        self._to_workers(conn)

    def released(self, conn) -> None:
        """A worker is done with ``conn`` (for now): the next of its client's may go."""
        address = getattr(conn, "remote_addr", None)
        with self._slots_lock:
            queued = self._queued.get(address)
            if queued:
                following = queued.popleft()  # takes over the slot
                if not queued:
                    del self._queued[address]
            else:
                following = None
                self._busy[address] -= 1
                if self._busy[address] <= 0:
                    del self._busy[address]
        if following is not None:
            self._to_workers(following)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_out.send(b"x")

    def _watch(self) -> None:
        try:
            while not self._stopped.is_set():
                for fd, _ in self._epoll.poll(TICK_SECONDS):
                    if fd == self._wake_in.fileno():
                        self._drain_wake()
                    elif fd in self._waiting:
                        self._look(fd)
                self._take_incoming()
                self._expire(time.monotonic())
        finally:
            self._close_all()

    def _drain_wake(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_in.recv(4096):
                pass

    def _take_incoming(self) -> None:
        while True:
            try:
                conn = self._incoming.get_nowait()
            except queue.Empty:
                return
            fd = conn.socket.fileno()
            self._waiting[fd] = (conn, time.monotonic() + self._deadline_seconds)
            self._epoll.register(fd, WATCHED)  # reports the bytes already there once

    def _look(self, fd: int) -> None:
        """New bytes (or a hang-up) on a waiting connection: is its head complete?"""
        conn, _ = self._waiting[fd]
        try:
            seen = conn.socket.recv(self._max_head_bytes + 1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        except OSError:
            seen = b""
        if not seen:
            self._leave(fd).close()
        elif len(seen) > self._max_head_bytes or any(end in seen for end in HEAD_ENDS):
            self._dispatch(self._leave(fd))

    def _expire(self, now: float) -> None:
        late = [fd for fd, (_, deadline) in self._waiting.items() if deadline <= now]
        for fd in late:
            conn = self._leave(fd)
            with contextlib.suppress(OSError):
                conn.socket.send(TIMEOUT_ANSWER, socket.MSG_DONTWAIT)
            conn.close()

    def _leave(self, fd: int):
        conn, _ = self._waiting.pop(fd)
        self._epoll.unregister(fd)
        return conn

    def _close_all(self) -> None:
        self._take_incoming()
        for fd in list(self._waiting):
            self._leave(fd).close()
        with self._slots_lock:
            queued = [conn for waiting in self._queued.values() for conn in waiting]
            self._queued.clear()
        for conn in queued:
            conn.close()
        self._epoll.close()
        self._wake_in.close()
        self._wake_out.close()
