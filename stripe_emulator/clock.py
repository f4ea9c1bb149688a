"""Emulator time: wall-clock seconds plus an offset that tests can advance."""

import time


class Clock:
    def __init__(self) -> None:
        self.offset = 0

    def now(self) -> int:
        return int(time.time()) + self.offset

    def advance(self, seconds: int) -> None:
        self.offset += seconds
