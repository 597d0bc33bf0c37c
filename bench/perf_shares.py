#!/usr/bin/env python3
"""Shares of a .NET process's perf samples by where the time went, from `perf report --no-children --sort dso,symbol
--stdio -g none` on stdin: the kernel split into scheduling (context switches, yields, waits), socket/TCP and the rest;
JIT'd code by assembly (ours: FunctionalCache.*; the client: StackExchange.Redis and RESPite; the runtime libraries);
native modules by name. Used by bench/redis-profile.sh."""
import re
import sys

OURS = ("FunctionalCache", "LanguageExt")
CLIENT = ("StackExchange.Redis", "RESPite", "Pipelines.Sockets.Unofficial")


def category(dso, symbol):
    if dso.startswith("[kernel"):
        if re.search(r"sched|switch|yield|futex|schedule|spin_unlock|irqentry|hrtimeout|rseq|exit_to_user", symbol):
            return "kernel: scheduling (switches, yields, waits)"
        if re.search(r"tcp|ip_|skb|sock|net|loopback|sendto|recv|inet|dev_queue|softirq|copy_|bh_", symbol):
            return "kernel: socket/TCP"
        return "kernel: other (syscall entry, epoll, ...)"
    if dso.startswith("[JIT]"):
        # "<return type> [Assembly] Namespace.Type::Method(...)": the declaring assembly is the bracket before a space.
        assembly = re.search(r"\[([A-Za-z.]+)\] ", symbol)
        name = assembly.group(1) if assembly else "unresolved"
        if name == "Cache.Benchmarks":
            return "the benchmark's own loop (Cache.Benchmarks)"
        # The runtime's generic async machinery running one of our state machines counts as ours.
        if name.startswith(OURS) or "FunctionalCache.Backends" in symbol:
            return f"ours: {name}"
        if name.startswith(CLIENT):
            return f"client: {name}"
        return f"JIT'd: {name}"
    return dso


shares = {}
for line in sys.stdin:
    match = re.match(r"\s*([\d.]+)%\s+(\S.*?)\s+\[(.)\]\s+(.*)", line)
    if match:
        key = category(match.group(2).strip(), match.group(4))
        shares[key] = shares.get(key, 0.0) + float(match.group(1))
for key, share in sorted(shares.items(), key=lambda item: -item[1]):
    if share >= 0.3:
        print(f"{share:6.2f}%  {key}")
