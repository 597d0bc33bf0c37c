"""The workload both sides run: keys, value, timeout and entry counts.

bench/PeerCompare/Workload.cs holds the same figures; change them together.
"""

TIMEOUT = 3600  # seconds: nothing expires during a run, yet every read checks a real deadline
MAX_ENTRIES = 100_000  # above every entry count here: no case culls
VALUE = '{"name":"Ada Lovelace","id":1815}'  # a short string on both sides (Django pickles it, we store UTF-8)
ENTRIES = 1_000  # entries per backend, except the big file case
BIG_FILE_ENTRIES = 50_000
MANY = 10  # keys per get_many in the django suite
MEMCACHED_MANY = 100  # keys per get_multi in the memcached suite
CALLERS = 16  # concurrent callers in the memcached suite


def keys(count=ENTRIES, stem="user:profile:"):
    """Keys shaped like an application's: user:profile:000042."""
    return [f"{stem}{i:06d}" for i in range(count)]


MISSING = keys(stem="user:missing:")


def groups(all_keys, size):
    """Consecutive, disjoint slices of `size` keys, for the get-many cases."""
    return [all_keys[i:i + size] for i in range(0, len(all_keys) - size + 1, size)]
