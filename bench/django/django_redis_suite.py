"""The `redis` suite on django-redis 5.2 (the most used Redis backend for Django 3.2, which has none of its own),
through Django's cache API on one local redis-server."""
import django
from django.conf import settings

import workload as W

SERIES = "django-redis 5.2"
PREFIX = "djredis"  # apart from our keys (fcache:1:...) on the same server


def configure(server):
    """Django settings with one django-redis cache at redis://SERVER/0, its default client and pickle serializer."""
    settings.configure(CACHES={"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://{server}/0",
        "TIMEOUT": W.TIMEOUT, "KEY_PREFIX": PREFIX,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"}}})
    django.setup()


def cases(server):
    """(case name, factory) pairs; a factory sets the case up and returns its operation op(i)."""
    configure(server)
    from django.core.cache import cache
    hits, counters = W.keys(), W.keys(stem="user:visits:")
    cache.set_many({key: W.VALUE for key in hits}, W.TIMEOUT)
    cache.set_many({key: 0 for key in counters}, W.TIMEOUT)  # django-redis stores an int as its digits, as we do
    batches = W.groups(hits, W.MANY)

    yield "get-hit", lambda: lambda i: cache.get(hits[i % len(hits)])
    yield "get-miss", lambda: lambda i: cache.get(W.MISSING[i % len(W.MISSING)])
    yield "set", lambda: lambda i: cache.set(hits[i % len(hits)], W.VALUE, W.TIMEOUT)
    yield f"get-many({W.MANY})", lambda: lambda i: cache.get_many(batches[i % len(batches)])
    yield "incr", lambda: lambda i: cache.incr(counters[i % len(counters)])
