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

using var output = options.Csv is null ? Console.Out : new StreamWriter(options.Csv, append: true);
foreach (var benchCase in cases)
{
    if (options.Cases.Count > 0 && !options.Cases.Contains(benchCase.Name)) continue;
    var op = await benchCase.Setup();
    var value = benchCase.Callers == 1
        ? await Throughput.OpsPerSecondAsync(op, options.Duration, options.Warmup)
        : await Throughput.ConcurrentOpsPerSecondAsync(op, benchCase.Callers, options.Duration, options.Warmup);
    var who = benchCase.Series ?? series;
    // A one-caller latency case is the time of one operation: the reciprocal of its rate.
    var (figure, unit) = benchCase.Latency ? (1e9 / value, "ns/op") : (value, "ops/s");
    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Suite},{benchCase.Name},{who},{benchCase.Role},{figure:F1},{unit}"));
    output.Flush();
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {who,-16} {benchCase.Name,-32} {figure,12:N1} {unit}"));
}
return 0;
