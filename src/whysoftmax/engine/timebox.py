"""Time limits for the search: a strategy that runs too long is stopped, not waited for.

The kernel has no clocks: it runs what it is asked. The search wraps each kernel call in
:func:`time_limit`, so a ``simplify`` that never returns costs one step its budget, not
the run its patience.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """A strategy ran past its time limit.

    Derived from ``BaseException`` so that SymPy's own ``except Exception`` blocks cannot
    swallow it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall time.

    Uses ``SIGALRM``, so the limit applies in the main thread (the CLI runs every
    derivation in a main thread, in a worker process when ``-j`` > 1). Elsewhere the
    block runs without a limit.

    Examples
    --------
    >>> import time
    >>> try:
    ...     with time_limit(0.05):
    ...         time.sleep(1)
    ... except TimeLimitExceeded:
    ...     print("stopped")
    stopped
    """
    if seconds <= 0:
        raise TimeLimitExceeded
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Deadline:
    """The time left for one step's symbolic work."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    @property
    def left(self) -> float:
        return self.end - time.monotonic()
