// FunctionalCache build. Targets: Clean, Restore, Build, Test (default), Bench, Pack, Demo, Browser.
// Test runs every Expecto project through `dotnet run` (Expecto has no `dotnet test` adapter here), then the sample's
// xUnit project through `dotnet test`, and ends with one plain line "N passed, N failed" summing them all, which CI reads.
using System.Text.RegularExpressions;

var target = Argument("target", "Default");
var configuration = Argument("configuration", "Release");
var solution = "./FunctionalCache.sln";
var passed = 0;
var failed = 0;
var testsRan = false;
var testProjects = new[] { "./Cache.Properties/Cache.Properties.fsproj", "./Cache.Tests/Cache.Tests.fsproj" };
// Run by `dotnet test` (VSTest): the custom backend sample's xUnit tests, written as a backend author's own would be.
var vstestProjects = new[] { "./samples/CustomBackend.Tests/CustomBackend.Tests.csproj" };

Task("Clean").Does(() =>
{
    CleanDirectories("./**/bin/" + configuration);
    CleanDirectories("./**/obj");
    CleanDirectories("./artifacts");
});

Task("Restore").Does(() => DotNetRestore(solution));

Task("Build").IsDependentOn("Restore").Does(() =>
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Test").IsDependentOn("Build").Does(() =>
{
    // Expecto's closing line: "EXPECTO! 1,512 tests run in … – 1,511 passed, 0 ignored, 1 failed, 0 errored."
    // (counts of a thousand or more carry a thousands separator).
    var expecto = new Regex(@"EXPECTO! [\d,]+ tests run .*? ([\d,]+) passed, ([\d,]+) ignored, ([\d,]+) failed, ([\d,]+) errored");
    // VSTest's: "Passed!  - Failed:     0, Passed:     3, Skipped:     0, Total:     3, Duration: 21 s - X.dll (net10.0)".
    var vstest = new Regex(@"(?:Passed|Failed)!\s+-\s+Failed:\s+([\d,]+), Passed:\s+([\d,]+), Skipped:\s+([\d,]+),");
    int Count(Group g) => int.Parse(g.Value.Replace(",", ""));
    int crashed = 0;
    testsRan = true;
    void Run(string arguments, Regex summary, Action<Match> add)
    {
        var settings = new ProcessSettings
        {
            Arguments = arguments,
            RedirectStandardOutput = true,
            RedirectedStandardOutputHandler = line =>
            {
                if (line == null) return null;
                Console.WriteLine(line);
                var m = summary.Match(line);
                if (m.Success) add(m);
                return line;
            }
        };
        var before = passed + failed;
        var exit = StartProcess("dotnet", settings);
        if (passed + failed == before || (exit != 0 && failed == 0)) crashed++;
    }
    foreach (var project in testProjects)
        Run($"run --project {project} -c {configuration} --no-build --no-restore -- --colours 0 --no-spinner --fail-on-focused-tests", expecto, m =>
        {
            passed += Count(m.Groups[1]);
            // An ignored test is a skipped test: CI counts it as a failure, not as progress.
            failed += Count(m.Groups[2]) + Count(m.Groups[3]) + Count(m.Groups[4]);
        });
    foreach (var project in vstestProjects)
        Run($"test {project} -c {configuration} --no-build --no-restore", vstest, m =>
        {
            passed += Count(m.Groups[2]);
            // Skipped counts as failed here too.
            failed += Count(m.Groups[1]) + Count(m.Groups[3]);
        });
    // A project that crashed or ran no test counts as one failure.
    failed += crashed;
    if (failed > 0) throw new Exception($"{failed} test(s) failed.");
});

// Bench: the comparison suites of bench/RESULTS.md in order, each writing <suite>.csv into $BENCH_RESULTS (default
// bench/results), then bench/Report, which draws the charts and rewrites the generated region of docs/benchmarks.md.
// Every step builds what it runs (Release), so Bench needs neither Build nor Test. --suites=http,django runs a subset
// and clears only those suites' CSVs, so the report still shows the others' last figures (docs/benchmarks/data/'s when
// bench/results has none); a full run clears them all.
// A failing suite fails the target by name, but only after the remaining suites and the report have run.
Task("Bench").Does(() =>
{
    var suites = new (string Name, string Program, string[] Arguments)[]
    {
        ("inprocess", "dotnet", new[] { "run", "-c", "Release", "--project", "Cache.Benchmarks", "--", "--filter", "*Peers*", "--join" }),
        ("scaling", "dotnet", new[] { "run", "-c", "Release", "--project", "Cache.Benchmarks", "--", "scaling" }),
        ("hitrate", "dotnet", new[] { "run", "-c", "Release", "--project", "bench/HitRate" }),
        ("django", "bash", new[] { "bench/django.sh" }),
        ("memcached", "bash", new[] { "bench/memcached.sh" }),
        ("http", "bash", new[] { "bench/http.sh" }),
        ("redis", "bash", new[] { "bench/redis.sh" }),
        ("resilience", "bash", new[] { "bench/resilience.sh" }),
    };
    // A suite whose script writes more than <suite>.csv: bench/redis.sh also writes redis-clients.csv.
    var alsoWrites = new Dictionary<string, string[]> { ["redis"] = new[] { "redis-clients" } };
    var names = suites.Select(s => s.Name).ToList();
    var subset = HasArgument("suites");
    var chosen = Argument("suites", string.Join(",", names)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var unknown = chosen.Except(names).ToList();
    if (unknown.Count > 0) throw new Exception($"Bench: no suite {string.Join(", ", unknown)}; the suites are {string.Join(", ", names)}.");

    var results = MakeAbsolute(Directory(EnvironmentVariable("BENCH_RESULTS") ?? "./bench/results")).FullPath;
    if (subset)
    {
        EnsureDirectoryExists(results);
        var rerun = chosen.SelectMany(n => alsoWrites.TryGetValue(n, out var more) ? more.Prepend(n) : new[] { n }).ToList();
        foreach (var name in rerun) DeleteFiles($"{results}/{name}.csv");
        // The suites not rerun keep their last figures: the newer of the local ones and those committed with the page
        // (a fresh clone has no bench/results; a merge may bring a suite's newer committed run, which a local file
        // from an older run must not hide), so a subset rewrites only its own part of docs/benchmarks.md.
        foreach (var committed in GetFiles("./docs/benchmarks/data/*.csv"))
        {
            var name = committed.GetFilenameWithoutExtension().FullPath;
            var local = $"{results}/{name}.csv";
            var stale = !FileExists(local) || System.IO.File.GetLastWriteTimeUtc(local) < System.IO.File.GetLastWriteTimeUtc(committed.FullPath);
            if (!rerun.Contains(name) && stale) CopyFile(committed, local);
        }
    }
    else CleanDirectory(results);

    int Run(string program, IEnumerable<string> arguments)
    {
        var builder = new ProcessArgumentBuilder();
        foreach (var argument in arguments) builder.AppendQuoted(argument);
        return StartProcess(program, new ProcessSettings
        {
            Arguments = builder,
            WorkingDirectory = MakeAbsolute(Directory(".")),
            EnvironmentVariables = new Dictionary<string, string> { ["BENCH_RESULTS"] = results },
        });
    }

    var failures = new List<string>();
    foreach (var suite in suites.Where(s => chosen.Contains(s.Name)))
    {
        Information($"Bench: {suite.Name}: {suite.Program} {string.Join(" ", suite.Arguments)}");
        var script = suite.Arguments.FirstOrDefault(a => a.EndsWith(".sh"));
        if (script != null && !FileExists(script)) { failures.Add($"{suite.Name} ({script} not found)"); continue; }
        var exit = Run(suite.Program, suite.Arguments);
        if (exit != 0) failures.Add($"{suite.Name} (exit {exit})");
    }
    Information("Bench: report");
    // The charts need a font; a fresh Debian machine may have none (the suites install their own needs the same way).
    Run("bash", new[] { "-c", "fc-list 2>/dev/null | grep -q . || (apt-get update && apt-get install -y fontconfig fonts-dejavu-core)" });
    var reportExit = Run("dotnet", new[] { "run", "-c", "Release", "--project", "bench/Report", "--", results });
    if (reportExit != 0) failures.Add($"report (exit {reportExit})");
    if (failures.Count > 0) throw new Exception($"Bench: failed: {string.Join(", ", failures)}.");
    Information($"Bench: results in {results}, report in docs/benchmarks.md");
});

// Packages (with .snupkg symbols) into ./artifacts: every packable project of the solution (the test, benchmark and
// sample projects say IsPackable=false), one .nupkg per package ID below. Package metadata lives in the project files;
// builds are deterministic, and ContinuousIntegrationBuild is on when CI=true.
var packageIds = new[]
{
    "FunctionalCache.Core", "FunctionalCache.Backends", "FunctionalCache.Backends.Database", "FunctionalCache.Backends.Memcached",
    "FunctionalCache.Backends.Redis",
    "FunctionalCache.Http", "FunctionalCache.Http.AspNetCore", "FunctionalCache.Http.Fluid",
    "FunctionalCache.FSharp", "FunctionalCache.FSharp.AspNetCore", "FunctionalCache.Cli",
    "FunctionalCache.Laws", "FunctionalCache.Laws.Expecto",
};

Task("Pack").IsDependentOn("Build").Does(() =>
{
    CleanDirectory("./artifacts");
    DotNetPack(solution, new DotNetPackSettings { Configuration = configuration, NoBuild = true, NoRestore = true, OutputDirectory = "./artifacts" });
    var packed = GetFiles("./artifacts/*.nupkg").Select(f => f.GetFilename().FullPath).ToList();
    string IdOf(string file) => Regex.Replace(file, @"\.\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\.nupkg$", "");
    var ids = packed.Select(IdOf).ToList();
    var missing = packageIds.Except(ids).ToList();
    var unexpected = ids.Except(packageIds).ToList();
    if (missing.Count > 0 || unexpected.Count > 0 || packed.Count != packageIds.Length)
        throw new Exception($"Pack: expected {packageIds.Length} packages in ./artifacts, found {packed.Count}."
            + (missing.Count > 0 ? $" Missing: {string.Join(", ", missing)}." : "")
            + (unexpected.Count > 0 ? $" Not in the list of package IDs: {string.Join(", ", unexpected)}." : ""));
    Information($"Pack: {packed.Count} packages and their symbols in ./artifacts: {string.Join(", ", packed)}");
});

Task("Demo").Does(() =>
    DotNetRun("./samples/Cache.Demo/Cache.Demo.csproj", new DotNetRunSettings { Configuration = configuration }));

// Browser (opt-in, never part of Test): the demo seen by the cache closest to the user. Debian's headless Chromium
// (apt-get install -y chromium), driven by puppeteer-core from npm (no browser download), browses a demo started on
// a free port on locmem:///: a second visit is served from the browser cache, a reload is answered 304, and switching
// users never shows the previous user's inbox. npm installs into artifacts/browser; Cache.Tests/Browser holds the script.
Task("Browser").Does(() =>
{
    var chromium = EnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
    if (!FileExists(chromium)) throw new Exception($"Browser: Chromium is missing ({chromium}). Install it: apt-get install -y chromium");
    DotNetBuild("./samples/Cache.Demo/Cache.Demo.csproj", new DotNetBuildSettings { Configuration = configuration });
    var work = MakeAbsolute(Directory("./artifacts/browser"));
    EnsureDirectoryExists(work);
    CopyFiles("./Cache.Tests/Browser/*", work);
    if (StartProcess("npm", new ProcessSettings { Arguments = "install --no-audit --no-fund", WorkingDirectory = work }) != 0)
        throw new Exception("Browser: npm install of puppeteer-core failed.");

    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    var url = $"http://127.0.0.1:{port}";
    var demoDll = MakeAbsolute(File($"./samples/Cache.Demo/bin/{configuration}/net10.0/Cache.Demo.dll")).FullPath;
    var info = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { demoDll, "--urls", url }) info.ArgumentList.Add(argument);
    info.Environment["CACHE_BACKEND"] = "locmem:///";
    using var demo = System.Diagnostics.Process.Start(info);
    demo.OutputDataReceived += (_, _) => { };
    demo.ErrorDataReceived += (_, _) => { };
    demo.BeginOutputReadLine();
    demo.BeginErrorReadLine();
    try
    {
        using var probe = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        bool Ready() { try { return probe.GetAsync(url + "/stats").Result.IsSuccessStatusCode; } catch { return false; } }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!demo.HasExited && !Ready() && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(200);
        if (!Ready()) throw new Exception($"Browser: the demo did not answer {url}/stats within 60 s.");
        var exit = StartProcess("node", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("check.mjs").AppendQuoted(url),
            WorkingDirectory = work,
            EnvironmentVariables = new Dictionary<string, string> { ["CHROMIUM"] = chromium },
        });
        if (exit != 0) throw new Exception($"Browser: the browser check failed (exit {exit}).");
    }
    finally
    {
        if (!demo.HasExited) demo.Kill(true);
        demo.WaitForExit();
    }
});

Task("Default").IsDependentOn("Test");

try
{
    RunTarget(target);
}
finally
{
    // Printed after Cake's task report, and the process ends here, so that the run's last line is
    // the plain summary CI reads.
    if (testsRan)
    {
        Console.WriteLine($"{passed} passed, {failed} failed");
        Environment.Exit(failed > 0 ? 1 : 0);
    }
}
