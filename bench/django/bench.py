"""Django 3.2's cache backends (suite `django`), the raw pylibmc client (suite `memcached`) and django-redis
(suite `redis`), measured for bench/django.sh, bench/memcached.sh and bench/redis.sh. Run with /usr/bin/python3 (Debian's Django and pylibmc).

Prints one CSV row per case (suite,case,series,role,value,unit; see bench/RESULTS.md) to stdout, or
appends to --csv; progress goes to stderr.

    /usr/bin/python3 bench/django/bench.py --suite django --work /tmp/dj [--memcached 127.0.0.1:11211]
    /usr/bin/python3 bench/django/bench.py --suite memcached --memcached 127.0.0.1:11211 --case get
    /usr/bin/python3 bench/django/bench.py --suite redis --redis 127.0.0.1:6379
"""
import argparse
import os
import sys

import timing


def main():
    args = parse()
    if args.suite == "django":
        import django_suite as suite
        work = os.path.join(os.path.abspath(args.work), "django")  # PeerCompare keeps its own beside it
        os.makedirs(work, exist_ok=True)
        suite.configure(work, args.memcached)
        suite.prepare(work)
        if args.prepare_only:
            return
        cases = suite.cases(args.memcached)
    elif args.suite == "redis":
        import django_redis_suite as suite
        if not args.redis:
            sys.exit("--suite redis needs --redis HOST:PORT")
        cases = suite.cases(args.redis)
    else:
        import pylibmc_suite as suite
        if not args.memcached:
            sys.exit("--suite memcached needs --memcached HOST:PORT")
        cases = suite.cases(args.memcached)

    if args.serve:
        serve(dict(cases))
        return

    for name, factory in cases:
        if args.case and name not in args.case:
            continue
        value = measure(factory(), args.seconds, args.warmup)
        row = f"{args.suite},{name},{suite.SERIES},baseline,{value:.1f},ops/s\n"
        if args.csv:
            with open(args.csv, "a") as out:
                out.write(row)
        else:
            sys.stdout.write(row)
        print(f"  {suite.SERIES:<16} {name:<32} {value:>12,.1f} ops/s", file=sys.stderr)


def serve(factories):
    """For bench/django/interleave.py: reads "CASE<TAB>SECONDS" lines and answers each with the case's ops/s over that
    many seconds (the case is set up on its first request and kept)."""
    ops = {}
    for line in sys.stdin:
        name, seconds = line.rstrip("\n").split("\t")
        if name not in ops:
            ops[name] = factories[name]()
        print(f"{timing.ops_per_second(ops[name], float(seconds), 0):.1f}", flush=True)


def measure(setup, seconds, warmup):
    if isinstance(setup, tuple):  # (make_op, callers): concurrent callers, one op each
        make_op, callers = setup
        return timing.concurrent_ops_per_second(make_op, callers, seconds, warmup)
    return timing.ops_per_second(setup, seconds, warmup)


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--suite", choices=["django", "memcached", "redis"], required=True)
    p.add_argument("--work", help="directory shared with PeerCompare for the file caches and SQLite databases (django suite)")
    p.add_argument("--memcached", help="HOST:PORT of a running memcached (the memcached cases are skipped without it)")
    p.add_argument("--redis", help="HOST:PORT of a running redis-server (suite redis)")
    p.add_argument("--seconds", type=float, default=2.0, help="measured seconds per case")
    p.add_argument("--warmup", type=float, default=0.5, help="warm-up seconds per case, not measured")
    p.add_argument("--case", action="append", help="run only this case (repeatable)")
    p.add_argument("--csv", help="append the rows to this file instead of printing them")
    p.add_argument("--serve", action="store_true", help="answer measurement requests on stdin (bench/django/interleave.py)")
    p.add_argument("--prepare-only", action="store_true", help="populate --work and exit")
    args = p.parse_args()
    if args.suite == "django" and not args.work:
        p.error("--suite django needs --work DIR")
    return args


if __name__ == "__main__":
    main()
