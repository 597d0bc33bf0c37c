using System.Globalization;

namespace FunctionalCache.PeerCompare;

/// <summary>The command line, the same flags as bench/django/bench.py.</summary>
internal sealed record Options(
    string Suite,
    string? Work,
    string? Memcached,
    string? Redis,
    TimeSpan Duration,
    TimeSpan Warmup,
    IReadOnlySet<string> Cases,
    string? Csv,
    bool PrepareOnly,
    bool Serve = false)
{
    public const string Usage =
        "PeerCompare --suite django|memcached|redis|redis-clients [--work DIR] [--memcached HOST:PORT] [--redis HOST:PORT] " +
        "[--seconds 2] [--warmup 0.5] " +
        "[--case NAME]... [--csv FILE] [--prepare-only] [--serve]";

    /// <exception cref="ArgumentException">An unknown flag, a missing value, or a suite without what it needs.</exception>
    public static Options Parse(string[] args)
    {
        var options = new Options("", null, null, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5), new HashSet<string>(), null, false);
        var cases = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--suite" => options with { Suite = Next() },
                "--work" => options with { Work = Next() },
                "--memcached" => options with { Memcached = Next() },
                "--redis" => options with { Redis = Next() },
                "--seconds" => options with { Duration = Seconds(Next()) },
                "--warmup" => options with { Warmup = Seconds(Next()) },
                "--case" => cases.Add(Next()) ? options : options,
                "--csv" => options with { Csv = Next() },
                "--prepare-only" => options with { PrepareOnly = true },
                "--serve" => options with { Serve = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }
        options = options with { Cases = cases };
        if (options.Suite is not ("django" or "memcached" or "redis" or "redis-clients"))
            throw new ArgumentException("--suite must be 'django', 'memcached', 'redis' or 'redis-clients'.");
        if (options.Suite == "django" && options.Work is null) throw new ArgumentException("--suite django needs --work DIR.");
        if (options.Suite == "memcached" && options.Memcached is null) throw new ArgumentException("--suite memcached needs --memcached HOST:PORT.");
        if (options.Suite.StartsWith("redis", StringComparison.Ordinal) && options.Redis is null)
            throw new ArgumentException($"--suite {options.Suite} needs --redis HOST:PORT.");
        return options;
    }

    private static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
}
