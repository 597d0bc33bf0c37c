// FunctionalCache's side of the Django, pylibmc and Redis comparisons (bench/django.sh, bench/memcached.sh, bench/redis.sh),
// and the .NET Redis clients measured beside it:
// one CSV row per case (suite,case,series,role,value,unit; see bench/RESULTS.md) on stdout or appended
// to --csv, progress on stderr.
using System.Globalization;
using FunctionalCache.PeerCompare;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

IEnumerable<BenchCase> cases;
string series;
if (options.Suite == "django")
{
    var work = Directory.CreateDirectory(Path.Join(options.Work, "fcache")).FullName;  // bench.py keeps its own beside it
    await DjangoSuite.PrepareAsync(work);
    if (options.PrepareOnly) return 0;
    (cases, series) = (DjangoSuite.Cases(work, options.Memcached), DjangoSuite.Series);
}
else if (options.Suite == "redis")
{
    (cases, series) = (RedisSuite.DjangoCases(options.Redis!), RedisSuite.Series);
}
else if (options.Suite == "redis-clients")
{
    (cases, series) = (RedisSuite.ClientCases(options.Redis!), RedisSuite.Series);
}
else
{
    (cases, series) = (MemcachedSuite.Cases(options.Memcached!), MemcachedSuite.Series);
}

if (options.Serve)
{
    // For bench/django/interleave.py: "CASE<TAB>SECONDS" lines in, the case's ops/s over that many seconds out (the
    // case is set up on its first request and kept), so the driver can alternate short slices with the Python side.
    var byName = cases.ToDictionary(c => c.Name);
    var ready = new Dictionary<string, Operation>();
    while (Console.In.ReadLine() is { } line)
    {
        var parts = line.Split('\t');
        var benchCase = byName[parts[0]];
        if (!ready.TryGetValue(benchCase.Name, out var op)) ready[benchCase.Name] = op = await benchCase.Setup();
        var seconds = TimeSpan.FromSeconds(double.Parse(parts[1], CultureInfo.InvariantCulture));
        var rate = await Measure(benchCase, op, seconds, TimeSpan.Zero);
        Console.Out.WriteLine(rate.ToString("F1", CultureInfo.InvariantCulture));
        Console.Out.Flush();
    }
    return 0;
}

using var output = options.Csv is null ? Console.Out : new StreamWriter(options.Csv, append: true);
// Cases that share a name (several libraries on one operation) are measured in interleaved slices, each slice in a
// rotated order, and each library's figure is the median of its slices: on a shared, noisy machine a drift in load
// then falls on every library alike instead of on whichever ran last.
foreach (var group in Chunks(cases.Where(c => options.Cases.Count == 0 || options.Cases.Contains(c.Name))))
{
    var ops = new List<Operation>();
    foreach (var benchCase in group) ops.Add(await benchCase.Setup());
    var values = group.Select(_ => new List<double>()).ToArray();
    if (group.Count == 1)
    {
        values[0].Add(await Measure(group[0], ops[0], options.Duration, options.Warmup));
    }
    else
    {
        for (var j = 0; j < group.Count; j++) await Measure(group[j], ops[j], options.Warmup, TimeSpan.Zero);
        var slice = options.Duration / Slices;
        for (var s = 0; s < Slices; s++)
            for (var k = 0; k < group.Count; k++)
            {
                var j = (k + s) % group.Count;
                values[j].Add(await Measure(group[j], ops[j], slice, TimeSpan.Zero));
            }
    }
    for (var j = 0; j < group.Count; j++)
    {
        var benchCase = group[j];
        var value = Median(values[j]);
        var who = benchCase.Series ?? series;
        // A one-caller latency case is the time of one operation: the reciprocal of its rate.
        var (figure, unit) = benchCase.Latency ? (1e9 / value, "ns/op") : (value, "ops/s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Suite},{benchCase.Name},{who},{benchCase.Role},{figure:F1},{unit}"));
        output.Flush();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {who,-34} {benchCase.Name,-24} {figure,12:N1} {unit}"));
    }
}
return 0;

static Task<double> Measure(BenchCase benchCase, Operation op, TimeSpan duration, TimeSpan warmup) => benchCase.Callers == 1
    ? Throughput.OpsPerSecondAsync(op, duration, warmup)
    : Throughput.ConcurrentOpsPerSecondAsync(op, benchCase.Callers, duration, warmup);

static double Median(List<double> values)
{
    values.Sort();
    var middle = values.Count / 2;
    return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

// Runs of consecutive cases with the same name.
static IEnumerable<List<BenchCase>> Chunks(IEnumerable<BenchCase> cases)
{
    var run = new List<BenchCase>();
    foreach (var benchCase in cases)
    {
        if (run.Count > 0 && run[0].Name != benchCase.Name) { yield return run; run = []; }
        run.Add(benchCase);
    }
    if (run.Count > 0) yield return run;
}

/// <summary>The program's constants.</summary>
internal static partial class Program
{
    /// <summary>How many interleaved slices a case measured for several libraries is cut into.</summary>
    private const int Slices = 5;
}
