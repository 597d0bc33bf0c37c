"""The `django` suite on Django 3.2: its locmem, file, database (SQLite) and PyLibMC cache backends."""
import os
import pickle
import zlib

import django
from django.conf import settings

import workload as W

SERIES = "Django 3.2"


def configure(work, memcached):
    """Django settings for every cache the suite uses; the files and the database live under `work`."""
    def cache(backend, location="", **extra):
        return {"BACKEND": "django.core.cache.backends." + backend, "LOCATION": location,
                "TIMEOUT": W.TIMEOUT, "OPTIONS": {"MAX_ENTRIES": W.MAX_ENTRIES}, **extra}

    caches = {
        "default": cache("locmem.LocMemCache", "bench"),
        "file1k": cache("filebased.FileBasedCache", os.path.join(work, "file1k")),
        "file50k": cache("filebased.FileBasedCache", os.path.join(work, "file50k")),
        "db": cache("db.DatabaseCache", "django_cache"),
    }
    if memcached:
        # tcp_nodelay, as pylibmc's docs suggest: the peer at its best (Django's default omits it).
        caches["memcached"] = {"BACKEND": "django.core.cache.backends.memcached.PyLibMCCache",
                               "LOCATION": memcached, "TIMEOUT": W.TIMEOUT, "KEY_PREFIX": "django",
                               "OPTIONS": {"behaviors": {"tcp_nodelay": True}}}
    settings.configure(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(work, "django.sqlite3")}},
        CACHES=caches, USE_TZ=True)
    django.setup()


def prepare(work):
    """Populates the file directories and the database table once; later runs reuse them (sets only overwrite)."""
    marker = os.path.join(work, "prepared")
    if os.path.exists(marker):
        return
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import transaction

    _write_files(caches["file1k"], W.keys())
    _write_files(caches["file50k"], W.keys(W.BIG_FILE_ENTRIES))
    call_command("createcachetable", verbosity=0)
    with transaction.atomic():  # one commit instead of a thousand
        for key in W.keys():
            caches["db"].set(key, W.VALUE, W.TIMEOUT)
    open(marker, "w").close()


def _write_files(cache, keys):
    # What FileBasedCache.set writes (pickled expiry, then the zlib-compressed pickled value), without
    # its per-set directory listing, which would make 50k sets take most of an hour.
    os.makedirs(cache._dir, 0o700, exist_ok=True)
    head = pickle.dumps(cache.get_backend_timeout(W.TIMEOUT), cache.pickle_protocol)
    body = zlib.compress(pickle.dumps(W.VALUE, cache.pickle_protocol))
    for key in keys:
        with open(cache._key_to_file(key), "wb") as f:
            f.write(head + body)


class Backend:
    """One configured Django cache, filled the first time a case asks for it."""

    def __init__(self, alias, fill=None):
        self._alias, self._fill, self._cache = alias, fill, None

    def cache(self):
        if self._cache is None:
            from django.core.cache import caches
            self._cache = caches[self._alias]
            if self._fill:
                self._fill(self._cache)
        return self._cache


def cases(memcached):
    """(case name, factory) pairs; a factory sets the case up and returns its operation op(i)."""
    hits, big = W.keys(), W.keys(W.BIG_FILE_ENTRIES)
    fill = lambda cache: cache.set_many({key: W.VALUE for key in hits}, W.TIMEOUT)  # noqa: E731
    locmem, file1k, file50k, db = Backend("default", fill), Backend("file1k"), Backend("file50k"), Backend("db")

    yield "locmem get-hit", lambda: get(locmem.cache(), hits)
    yield "locmem get-miss", lambda: get(locmem.cache(), W.MISSING)
    yield "locmem set", lambda: set_(locmem.cache(), hits)
    yield f"locmem get-many({W.MANY})", lambda: get_many(locmem.cache(), hits, W.MANY)
    yield "file get-hit (1k entries)", lambda: get(file1k.cache(), hits)
    yield "file set (1k entries)", lambda: set_(file1k.cache(), hits)
    yield f"file get-many({W.MANY})", lambda: get_many(file1k.cache(), hits, W.MANY)
    yield "file set (50k entries)", lambda: set_(file50k.cache(), big)
    yield "db get-hit", lambda: get(db.cache(), hits)
    yield "db set", lambda: set_(db.cache(), hits)
    yield f"db get-many({W.MANY})", lambda: get_many(db.cache(), hits, W.MANY)
    if memcached:
        remote = Backend("memcached", fill)
        yield "memcached get-hit", lambda: get(remote.cache(), hits)
        yield "memcached set", lambda: set_(remote.cache(), hits)
        yield f"memcached get-many({W.MANY})", lambda: get_many(remote.cache(), hits, W.MANY)


def get(cache, keys):
    return lambda i: cache.get(keys[i % len(keys)])


def set_(cache, keys):
    return lambda i: cache.set(keys[i % len(keys)], W.VALUE, W.TIMEOUT)


def get_many(cache, keys, size):
    batches = W.groups(keys, size)
    return lambda i: cache.get_many(batches[i % len(batches)])
