"""The rate limit shared by every sending worker."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Protocol

from django.core.cache import cache

# Rate limit ---------------------------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Throttle:
    """Holds all workers together to `rate` messages a second.

    Time is cut into slots of about a tenth of a second, each good for `chunk` messages. A
    worker takes the next free slot by adding the slot's key to the shared cache, an atomic
    insert, so no two workers ever use the same slot. In any window of T seconds at most
    rate × T + chunk messages go out.
    """

    SLOT_SECONDS = 0.1

    def __init__(self, *, rate: float, clock: Clock, store: Any = None) -> None:
        self.rate = rate
        self.clock = clock
        self.store = store or cache
        self.chunk = max(1, math.ceil(rate * self.SLOT_SECONDS)) if rate > 0 else 0
        self.width = self.chunk / rate if rate > 0 else 0.0
        self.left = 0
        self.slot_end = 0.0

    def take(self, *, before_wait: Callable[[], None] = lambda: None) -> None:
        """Returns when the next message may go; runs `before_wait` before any pause."""
        if self.rate <= 0:
            return
        now = self.clock.now()
        if self.left and now < self.slot_end:
            self.left -= 1
            return
        start = self._reserve(now) * self.width
        if start > now:
            before_wait()
            self.clock.sleep(start - now)
        self.slot_end = start + self.width
        self.left = self.chunk - 1

    def _reserve(self, now: float) -> int:
        slot = math.floor(now / self.width)
        timeout = 60 + math.ceil(self.width)
        while not self.store.add(f"newsletter:send-slot:{self.rate}:{slot}", 1, timeout):
            slot += 1
        return slot
