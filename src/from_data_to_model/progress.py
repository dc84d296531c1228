"""Progress of a run over its models: done out of total, time so far, an estimate of the rest."""

from __future__ import annotations

import time


def duration(seconds: float) -> str:
    """``1h 02m``, ``3m 05s`` or ``42s``."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


class ModelProgress:
    """Counts trained models; the estimate assumes the rest take as long on average."""

    def __init__(self, total: int, clock=time.monotonic) -> None:
        self.total = total
        self.done = 0
        self._clock = clock
        self._started = clock()

    def model_done(self) -> str:
        """Count one more trained model; the progress line to show."""
        self.done += 1
        elapsed = self._clock() - self._started
        line = f"Progress: {self.done} of {self.total} models trained, {duration(elapsed)} elapsed"
        if self.done < self.total:
            line += f", about {duration(elapsed / self.done * (self.total - self.done))} left"
        return line
