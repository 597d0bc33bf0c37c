"""Operations per second over a fixed wall-clock duration, timed as bench/PeerCompare/Throughput.cs does."""
import threading
import time


def ops_per_second(op, seconds, warmup):
    """Runs op(0), op(1), ... for `warmup` seconds (discarded), then for `seconds`: completed ops/s."""
    warmed = _run_for(op, warmup, 0)[0] if warmup > 0 else 0
    done, elapsed = _run_for(op, seconds, warmed)
    return done / elapsed


def _run_for(op, seconds, first):
    # The clock is read once per batch; batches double while they take under a millisecond, so reading
    # it costs nothing on fast operations and a slow one (Django's 50k-file set) still stops on time.
    done, batch = 0, 1
    begin = time.perf_counter()
    while True:
        batch_start = time.perf_counter()
        for i in range(first + done, first + done + batch):
            op(i)
        done += batch
        now = time.perf_counter()
        if now - begin >= seconds:
            return done, now - begin
        if now - batch_start < 0.001:
            batch *= 2


def concurrent_ops_per_second(make_op, callers, seconds, warmup):
    """`callers` threads, each running its own make_op() in a loop: total completed ops/s during `seconds`."""
    counts = [0] * callers
    stop = threading.Event()

    def caller(slot):
        op = make_op()
        i = 0
        while not stop.is_set():
            op(i)
            i += 1
            counts[slot] = i

    threads = [threading.Thread(target=caller, args=(slot,), daemon=True) for slot in range(callers)]
    for t in threads:
        t.start()
    time.sleep(warmup)
    before, begin = sum(counts), time.perf_counter()
    time.sleep(seconds)
    after, end = sum(counts), time.perf_counter()
    stop.set()
    for t in threads:
        t.join()
    return (after - before) / (end - begin)
