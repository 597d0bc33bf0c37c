"""Python against .NET, case by case, in short alternating slices: both sides run as long-lived servers (bench.py and
PeerCompare with --serve) and take turns for SLICES slices per case, each side going first every other slice, so a
shared machine's changing load falls on both alike. Appends each side's median slice to --csv (bench/RESULTS.md rows).

    interleave.py --suite redis --python-series "django-redis 5.2" --csv RAW --seconds 2 --warmup 1 -- \\
        PYTHON_COMMAND... -- DOTNET_COMMAND...
"""
import argparse
import statistics
import subprocess
import sys

SLICES = 10


def main():
    args, python_command, dotnet_command = parse()
    sides = {
        "python": (subprocess.Popen(python_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True), args.python_series, "baseline"),
        "dotnet": (subprocess.Popen(dotnet_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True), args.dotnet_series, "ours"),
    }
    try:
        for case in args.case:
            for process, _, _ in sides.values():
                ask(process, case, args.warmup)  # set-up and warm-up, not kept
            figures = {name: [] for name in sides}
            for slice_ in range(SLICES):
                order = ["python", "dotnet"] if slice_ % 2 == 0 else ["dotnet", "python"]
                for name in order:
                    figures[name].append(ask(sides[name][0], case, args.seconds / SLICES))
            with open(args.csv, "a") as out:
                for name, (_, series, role) in sides.items():
                    value = statistics.median(figures[name])
                    out.write(f"{args.suite},{case},{series},{role},{value:.1f},ops/s\n")
                    print(f"  {series:<18} {case:<16} {value:>12,.1f} ops/s", file=sys.stderr)
    finally:
        for process, _, _ in sides.values():
            process.stdin.close()
            process.wait()


def ask(process, case, seconds):
    process.stdin.write(f"{case}\t{seconds}\n")
    process.stdin.flush()
    answer = process.stdout.readline()
    if not answer:
        sys.exit(f"a measuring side exited during case {case}")
    return float(answer)


def parse():
    argv = sys.argv[1:]
    if argv.count("--") != 2:
        sys.exit(__doc__)
    first = argv.index("--")
    second = argv.index("--", first + 1)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--suite", required=True)
    p.add_argument("--python-series", required=True)
    p.add_argument("--dotnet-series", default="FunctionalCache")
    p.add_argument("--case", action="append", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--seconds", type=float, default=2.0, help="measured seconds per case and side, cut into slices")
    p.add_argument("--warmup", type=float, default=1.0)
    return p.parse_args(argv[:first]), argv[first + 1:second], argv[second + 1:]


if __name__ == "__main__":
    main()
