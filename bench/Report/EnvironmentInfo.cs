using System.Diagnostics;

namespace Report;

/// <summary>
/// The machine and tool versions printed above the results: the figures only mean something next to them. Anything
/// that cannot be found is left out rather than guessed.
/// </summary>
public sealed record EnvironmentInfo(IReadOnlyList<(string Name, string Value)> Facts)
{
    /// <summary>Collects the date, OS, CPU, .NET SDK, and the Python packages and servers the comparisons used, if present.</summary>
    /// <param name="repositoryRoot">Where to look for the benchmark scripts' Python virtual environments.</param>
    public static EnvironmentInfo Collect(string repositoryRoot)
    {
        var facts = new List<(string, string)>
        {
            ("date", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)),
        };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) facts.Add((name, value.Trim()));
        }
        Add("OS", Run("uname", "-sr"));
        Add("CPU", CpuModel());
        Add("cores", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(".NET SDK", Run("dotnet", "--version"));
        foreach (var (package, version) in PythonPackages(repositoryRoot)) Add(package, version);
        Add("memcached", Run("memcached", "-V"));
        Add("redis-server", RedisServerVersion());
        return new EnvironmentInfo(facts);
    }

    // "Redis server v=7.0.15 sha=… malloc=… bits=64 build=…": the version is what tells runs apart.
    private static string? RedisServerVersion() =>
        Run("redis-server", "--version")?.Split(' ').FirstOrDefault(part => part.StartsWith("v=", StringComparison.Ordinal))?[2..];

    private static string? CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return null;
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..];
    }

    // Django and pylibmc may live in a virtual environment of a bench script rather than the system Python:
    // $BENCH_PYTHON first, then any bench/*/.venv or bench/.venv, then Debian's /usr/bin/python3 (where bench/django
    // installs python3-django and python3-pylibmc), then whatever python3 is first on the path. The first version found wins.
    private static IEnumerable<(string Package, string Version)> PythonPackages(string repositoryRoot)
    {
        var bench = Path.Combine(repositoryRoot, "bench");
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("BENCH_PYTHON") is { Length: > 0 } chosen) candidates.Add(chosen);
        if (Directory.Exists(bench))
            candidates.AddRange(new[] { bench }.Concat(Directory.GetDirectories(bench))
                .SelectMany(d => new[] { Path.Combine(d, ".venv", "bin", "python"), Path.Combine(d, "venv", "bin", "python") })
                .Where(File.Exists));
        candidates.AddRange(["/usr/bin/python3", "python3"]);
        // The Python client of Redis is the distribution "redis"; it is shown as redis-py, apart from redis-server.
        const string probe = "import importlib.metadata as m\nfor p, name in (('Django', 'Django'), ('pylibmc', 'pylibmc'), ('django-redis', 'django-redis'), ('redis', 'redis-py')):\n  try: print(name, m.version(p))\n  except Exception: pass";
        var found = new Dictionary<string, string>();
        foreach (var python in candidates)
            foreach (var line in (Run(python, "-c", probe) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (line.Split(' ', 2) is [var package, var version]) found.TryAdd(package, version);
        return found.Select(kv => (kv.Key, kv.Value));
    }

    private static string? Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000)) { process.Kill(); return null; }
            return process.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
