"""Growth ratios instead of wall-clock limits, for the tests that say "linear".

A rule is timed on an input and on one ``factor`` times larger: linear work takes about
``factor`` times as long, quadratic work ``factor**2``. The bound sits halfway between
on a log scale, ``factor**1.5`` (8 for 4x, about 23 for 8x): generous for linear work,
and still well under quadratic growth. Nothing is compared with a number of seconds,
so a loaded machine, which slows both timings alike, cannot fail a test; a timing that
a busy moment spoiled is taken again (best of several, then whole new attempts).
Calls too quick for the clock are repeated in a loop until the loop is long enough to
time (``RESOLUTION``), which is about measuring, not a limit. A large input that runs
past ``GIVE_UP`` times what the bound allows (a cubic or exponential rule would run for
minutes) is stopped there and counts as too slow: that is the growth bound again, only
checked before the end. Growth past twice the bound fails at once (a quadratic rule
on a large input is slow to time again).
"""

from __future__ import annotations

import contextlib
import gc
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator

RESOLUTION = 0.005
"""Seconds a timed loop lasts at least, so the clock's grain and a call's fixed cost
do not blur tiny timings."""

GIVE_UP = 4
"""A large input's timing is stopped once it has run this many times longer than the
growth bound allows (a second at least, so a stalled machine only costs a retry)."""


class _Stopped(Exception):
    """A timing ran past its allowance."""


@contextlib.contextmanager
def _stop_after(seconds: float) -> Iterator[None]:
    """Raise ``_Stopped`` in the block after ``seconds`` (the regular-expression engine
    checks for signals as it goes); off outside the main thread or without timers."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Stopped

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def seconds_per_call(
    run: Callable[[], object], repeats: int = 3, resolution: float = RESOLUTION
) -> float:
    """The best of ``repeats`` timings of ``run`` (each a loop of calls long enough to
    time), without the garbage collector, whose passes are noise here (a full collection
    first, unless the timings are short ones, which it would outlast)."""
    if resolution >= RESOLUTION:
        gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loops = 1
        while True:  # how many calls make one timing long enough
            start = time.perf_counter()
            for _ in range(loops):
                run()
            took = time.perf_counter() - start
            if took >= resolution:
                break
            loops = max(loops * 2, int(loops * resolution / max(took, 1e-9) * 1.2))
        best = took / loops
        for _ in range(repeats - 1):
            start = time.perf_counter()
            for _ in range(loops):
                run()
            best = min(best, (time.perf_counter() - start) / loops)
        return best
    finally:
        if was_enabled:
            gc.enable()


def growth(
    small: Callable[[], object],
    large: Callable[[], object],
    factor: float,
    repeats: int = 3,
    resolution: float = RESOLUTION,
) -> float:
    """How many times longer ``large`` takes than ``small`` (infinite when ``large`` ran
    past ``GIVE_UP`` times the allowed growth and was stopped)."""
    t_small = seconds_per_call(small, repeats, resolution)
    allowance = max(GIVE_UP * repeats * bound(factor) * t_small, 1.0)
    try:
        with _stop_after(allowance):
            t_large = seconds_per_call(large, repeats, resolution)
    except _Stopped:
        return math.inf
    return t_large / max(t_small, 1e-9)


def bound(factor: float) -> float:
    """The largest growth allowed for ``factor`` times the input."""
    return float(factor**1.5)


def assert_linear_growth(
    small: Callable[[], object],
    large: Callable[[], object],
    factor: float,
    *,
    attempts: int = 3,
    what: str = "",
) -> None:
    """``large`` (``factor`` times the input of ``small``) takes less than
    ``bound(factor)`` times as long, in one of ``attempts`` measurements; growth past
    twice the bound is no timing noise, and fails at once."""
    ratios: list[float] = []
    for _ in range(attempts):
        ratios.append(growth(small, large, factor))
        if ratios[-1] < bound(factor):
            return
        if 2 * bound(factor) <= ratios[-1] < math.inf:
            break
    shown = ", ".join("(stopped: far too long)" if math.isinf(r) else f"x{r:.1f}" for r in ratios)
    raise AssertionError(
        f"{what or 'the rule'}: {factor:g}x the input took {shown} as long "
        f"(linear is about x{factor:g}, quadratic x{factor**2:g}; allowed x{bound(factor):.1f})"
    )


def assert_linear(rule: Callable[[str], object], make: Callable[[int], str], n: int) -> None:
    """``rule`` grows linearly from ``make(n)`` to ``make(8 * n)``."""
    small, large = make(n), make(8 * n)
    assert_linear_growth(lambda: rule(small), lambda: rule(large), 8)
