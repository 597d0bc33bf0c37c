"""The `memcached` suite on pylibmc, the libmemcached client Django's PyLibMCCache wraps, called directly."""
import pylibmc

import workload as W

SERIES = "pylibmc"
PREFIX = "pylibmc:1:"  # about as long as our made keys (fcache:1:...), and apart from them


def client(server):
    # Text protocol (the default) with tcp_nodelay, as pylibmc's docs suggest: the peer at its best.
    return pylibmc.Client([server], behaviors={"tcp_nodelay": True})


def cases(server):
    """(case name, factory) pairs; a factory returns op(i), or for the concurrent case a (make_op, callers) pair."""
    keys = [PREFIX + key for key in W.keys()]
    batches = W.groups(keys, W.MEMCACHED_MANY)
    mc = client(server)
    mc.set_multi({key: W.VALUE for key in keys}, W.TIMEOUT)

    yield "get", lambda: lambda i: mc.get(keys[i % len(keys)])
    yield f"get-many({W.MEMCACHED_MANY})", lambda: lambda i: mc.get_multi(batches[i % len(batches)])
    yield "set", lambda: lambda i: mc.set(keys[i % len(keys)], W.VALUE, W.TIMEOUT)
    # One client per thread (a clone, what pylibmc.ThreadMappedPool hands each thread), held for the whole
    # run: libmemcached releases the GIL while it waits on the socket, so the threads' round trips overlap.
    def caller():
        own = mc.clone()
        return lambda i: own.get(keys[i % len(keys)])
    yield f"get, {W.CALLERS} concurrent callers", lambda: (caller, W.CALLERS)
