"""Asking for one value from two threads at once (core.caching computes it once)."""

import threading


def asked_twice_at_once(ask) -> tuple[object, list[str]]:
    """`ask(compute)` in a thread, then again in this one while the first is still
    computing. The second answer, and the computations that ran ("counted" each)."""
    started, finish = threading.Event(), threading.Event()
    calls = []

    def slow_count():
        calls.append("counted")
        started.set()
        assert finish.wait(10)
        return {"fujian": 3}

    first = threading.Thread(target=lambda: ask(slow_count))
    first.start()
    assert started.wait(10)
    threading.Timer(0.2, finish.set).start()
    answer = ask(slow_count)
    first.join(10)
    return answer, calls
