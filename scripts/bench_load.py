"""The benchmark's load generator: a few concurrent keep-alive HTTP connections (``http.client``,
one thread each) asking for one page again and again, a warm-up first, then a measured period;
the latency of a request is from sending it to having read the whole body."""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Load:
    requests: int
    seconds: float
    latencies: list[float]
    errors: dict[int, int]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        """The nearest-rank 99th percentile (with fewer than 100 requests, the slowest)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class _Connection(threading.Thread):
    """One client connection; the server may close it after any answer (gunicorn's sync
    workers do), in which case ``http.client`` opens the next one."""

    def __init__(self, port: int, path: str, cookie: str | None, run: "_Run"):
        super().__init__(daemon=True)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        self.path, self.run_state = path, run

    def run(self) -> None:
        run = self.run_state
        while not run.done():
            started = time.perf_counter()
            try:
                self.connection.request("GET", self.path, headers=self.headers)
                response = self.connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                self.connection.close()
                status = 0
            run.record(time.perf_counter() - started, status)
        self.connection.close()


class _Run:
    def __init__(self, warmup: float, seconds: float, min_requests: int, max_seconds: float):
        self.lock = threading.Lock()
        self.warmup, self.seconds = warmup, seconds
        self.min_requests, self.max_seconds = min_requests, max_seconds
        self.started = time.perf_counter()
        self.measuring_since: float | None = None
        self.latencies: list[float] = []
        self.errors: dict[int, int] = {}

    def record(self, latency: float, status: int) -> None:
        now = time.perf_counter()
        with self.lock:
            if self.measuring_since is None:
                if now - self.started >= self.warmup:
                    self.measuring_since = now
                return
            if status != 200:
                self.errors[status] = self.errors.get(status, 0) + 1
            self.latencies.append(latency)

    def done(self) -> bool:
        with self.lock:
            if self.measuring_since is None:
                return False
            elapsed = time.perf_counter() - self.measuring_since
            if elapsed >= self.max_seconds:
                return True
            return elapsed >= self.seconds and len(self.latencies) >= self.min_requests


def drive(
    port: int,
    path: str,
    cookies: list[str | None],
    *,
    warmup: float = 2.0,
    seconds: float = 10.0,
    min_requests: int = 10,
    max_seconds: float = 60.0,
) -> Load:
    """Ask for ``path`` over ``len(cookies)`` connections (one session each) for ``warmup``
    seconds unmeasured (at least one answer each), then for ``seconds`` measured (longer until
    ``min_requests`` answers, at most ``max_seconds``)."""
    run = _Run(warmup, seconds, min_requests, max_seconds)
    threads = [_Connection(port, path, cookie, run) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - (run.measuring_since or run.started)
    return Load(len(run.latencies), elapsed, run.latencies, run.errors)
