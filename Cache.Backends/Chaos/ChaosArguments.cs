using System.Globalization;
using LanguageExt;

namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// The pure half of the <c>chaos</c> scheme: a <c>chaos://</c> URI's arguments read into a schedule, the lenient flag and
/// the timeout, with one problem per bad argument (the argument is then left out, so its default applies).
/// </summary>
internal sealed record ChaosArguments(ChaosSchedule Schedule, bool Lenient, TimeSpan? Timeout, Seq<UriProblem> Problems)
{
    /// <summary>The faults a URI can schedule, in the order one shadows the next on the same call.</summary>
    private static readonly string[] FaultNames = ["fail", "corrupt", "delay"];

    private static readonly string[] Selectors = ["every", "rate", "window"];

    /// <summary>Every argument name the scheme reads besides <c>inner</c>.</summary>
    public static Seq<string> Names { get; } =
        FaultNames.SelectMany(fault => Selectors.Select(selector => $"{fault}_{selector}"))
            .Concat(["delay_ms", "timeout_ms", "seed", "lenient", "operations"]).ToSeq().Strict();

    /// <summary>Reads the arguments of <paramref name="uri"/> (every one but <c>inner</c>).</summary>
    public static ChaosArguments Read(BackendUri uri)
    {
        var args = uri.Arguments;
        var problems = new List<UriProblem>();

        if (uri.Location.Length > 0)
            problems.Add(new UriProblem("location", $"A chaos URI takes no location (it wraps the cache named by 'inner'), not {UriText.Quoted(uri.Location)}."));
        foreach (var name in new[] { "timeout", "max_entries", "cull_frequency" })
            if (args.ContainsKey(name))
                problems.Add(new UriProblem($"argument '{name}'", $"Argument '{name}' has no effect on a chaos URI: give it in the inner URI, whose cache it configures."));

        var seed = 0;
        args.Find("seed").Iter(text =>
        {
            if (UriText.PythonInt(text) is { } n) seed = n;
            else problems.Add(Problem("seed", "a whole number", text));
        });

        var delay = args.Find("delay_ms").Bind(text =>
            Milliseconds(text, allowZero: true) is { } span ? Prelude.Some(ChaosFault.Delay(span)) : Fault(problems, Problem("delay_ms", "a number of milliseconds from 0 to a day", text)));
        TimeSpan? timeout = null;
        args.Find("timeout_ms").Iter(text =>
        {
            if (Milliseconds(text, allowZero: false) is { } span) timeout = span;
            else problems.Add(Problem("timeout_ms", "a positive number of milliseconds up to a day", text));
        });

        var lenient = false;
        args.Find("lenient").Iter(text =>
        {
            if (text is "true" or "1") lenient = true;
            else if (text is not ("false" or "0")) problems.Add(Problem("lenient", "'true' or 'false'", text));
        });

        var schedule = ChaosSchedule.Calm;
        var any = false;
        foreach (var faultName in FaultNames)
        {
            var fault = faultName switch
            {
                "fail" => Prelude.Some(ChaosFault.Fail),
                "corrupt" => Prelude.Some(ChaosFault.Corrupt),
                _ => delay,
            };
            var selected = Selectors.Where(s => args.ContainsKey($"{faultName}_{s}")).ToList();
            if (faultName == "delay" && selected.Count == 0 && delay.IsSome) selected.Add("always");
            foreach (var selector in selected)
            {
                var name = $"{faultName}_{selector}";
                if (fault.IsNone)
                {
                    if (args.ContainsKey("delay_ms")) continue;
                    problems.Add(new UriProblem($"argument '{name}'", $"Argument '{name}' needs 'delay_ms', the length of the delay."));
                    continue;
                }
                var made = Selector(selector, args.Find(name).IfNone(""), seed, fault.IfNone(ChaosFault.Pass), name, problems);
                if (made is null) continue;
                schedule = any ? schedule.Or(made) : made;
                any = true;
            }
        }

        args.Find("operations").Iter(text =>
        {
            var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var unknown = names.Where(n => ChaosOperationNames.Parse(n) is null).ToList();
            if (names.Length == 0 || unknown.Count > 0)
                problems.Add(new UriProblem("argument 'operations'",
                    $"Argument 'operations' must list operations from {string.Join(", ", ChaosOperationNames.All)}, not {UriText.Quoted(text)}" +
                    (unknown.Count > 0 ? $" (unknown: {string.Join(", ", unknown.Select(UriText.Quoted))})." : ".")));
            else schedule = schedule.Only(names.Select(n => ChaosOperationNames.Parse(n)!.Value));
        });

        if (!any)
            problems.Add(new UriProblem("arguments", "A chaos URI schedules no fault, so every call passes: give fail_every, fail_rate, fail_window, " +
                "corrupt_every, corrupt_rate, corrupt_window or delay_ms."));
        return new ChaosArguments(schedule, lenient, timeout, problems.ToSeq().Strict());
    }

    private static ChaosSchedule? Selector(string selector, string text, int seed, ChaosFault fault, string name, List<UriProblem> problems)
    {
        switch (selector)
        {
            case "always":
                return ChaosSchedule.Always(fault);
            case "every":
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) return ChaosSchedule.EveryNth(n, fault);
                problems.Add(Problem(name, "a whole number from 1 (every Nth call)", text));
                return null;
            case "rate":
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1) return ChaosSchedule.AtRate(rate, seed, fault);
                problems.Add(Problem(name, "a number from 0 to 1 (the share of calls)", text));
                return null;
            default:
                var ends = text.Split('-');
                if (ends.Length == 2
                    && long.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first) && first >= 1
                    && long.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last >= first)
                    return ChaosSchedule.Window(first, last, fault);
                problems.Add(Problem(name, "two call numbers 'first-last' (from 1, last not before first), as in '10-19'", text));
                return null;
        }
    }

    private static TimeSpan? Milliseconds(string text, bool allowZero) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && (allowZero ? ms >= 0 : ms > 0) && ms <= 86_400_000
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    private static Option<ChaosFault> Fault(List<UriProblem> problems, UriProblem problem)
    {
        problems.Add(problem);
        return Option<ChaosFault>.None;
    }

    private static UriProblem Problem(string name, string rule, string text) =>
        new($"argument '{name}'", $"Argument '{name}' must be {rule}, not {UriText.Quoted(text)}.");
}
