"""Medians of the rounds' raw rows, written as one bench/RESULTS.md CSV, and a readable table of ours/baseline.

    summarize.py RAW_CSV OUT_CSV

RAW_CSV holds every round's rows without a header. Case names may hold a comma ("get, 16 concurrent
callers"): the suite is the first field and the last four are series, role, value and unit.
"""
import statistics
import sys

HEADER = "suite,case,series,role,value,unit"


def read(path):
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split(",")
            if len(fields) >= 6:
                suite, *case, series, role, value, unit = fields
                yield suite, ",".join(case), series, role, float(value), unit


def medians(rows):
    """(suite, case, series, role, unit) -> median value, in first-seen order."""
    groups = {}
    for suite, case, series, role, value, unit in rows:
        groups.setdefault((suite, case, series, role, unit), []).append(value)
    return {key: statistics.median(values) for key, values in groups.items()}


def main(raw, out):
    result = medians(read(raw))
    with open(out, "w") as f:
        f.write(HEADER + "\n")
        for (suite, case, series, role, unit), value in result.items():
            f.write(f"{suite},{case},{series},{role},{value:.1f},{unit}\n")
    print_table(result)


def print_table(result):
    cases = list(dict.fromkeys(key[1] for key in result))
    by_role = {(key[1], key[3]): (key[2], value) for key, value in result.items()}
    baseline = next((key[2] for key in result if key[3] == "baseline"), "baseline")
    ours = next((key[2] for key in result if key[3] == "ours"), "ours")
    width = max(len(c) for c in cases) + 2
    print(f"{'case':<{width}}{baseline + ' ops/s':>18}{ours + ' ops/s':>24}{'ours/' + baseline:>20}")
    for case in cases:
        theirs = by_role.get((case, "baseline"), (None, None))[1]
        mine = by_role.get((case, "ours"), (None, None))[1]
        ratio = f"{mine / theirs:.2f}x" if theirs and mine else "-"
        print(f"{case:<{width}}{fmt(theirs):>18}{fmt(mine):>24}{ratio:>20}")
    # The memcached target compares our concurrent callers with pylibmc's single-threaded get.
    concurrent = next((c for c in cases if "concurrent callers" in c), None)
    single = by_role.get(("get", "baseline"), (None, None))[1]
    mine = by_role.get((concurrent, "ours"), (None, None))[1] if concurrent else None
    if single and mine:
        print(f"\n{concurrent} (ours) / {baseline} get (one thread): {mine / single:.2f}x")


def fmt(value):
    return "-" if value is None else f"{value:,.1f}"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
