using System.Globalization;
using FunctionalCache.Backends.FailSafe;
using LanguageExt;
using Microsoft.Extensions.Configuration;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Reads a cache's <c>fail_safe</c> object: <c>max_stale</c> (required), <c>soft_timeout</c>, <c>hard_timeout</c> and
/// <c>jitter</c> and <c>throttle</c> in seconds (fractions allowed), and <c>eager_refresh</c>, a share of the duration between 0 and 1.
/// </summary>
/// <example><code>"fail_safe": { "max_stale": 3600, "soft_timeout": 0.2, "eager_refresh": 0.8, "jitter": 30 }</code></example>
internal static class FailSafeConfiguration
{
    /// <summary>The settings a <c>fail_safe</c> object may have.</summary>
    public static Seq<string> Settings { get; } = Seq("max_stale", "soft_timeout", "hard_timeout", "eager_refresh", "jitter", "throttle");

    /// <summary>The options the <c>fail_safe</c> child of <paramref name="cache"/> describes, None when it has none; each problem is added to <paramref name="problems"/>.</summary>
    public static Option<FailSafeOptions> Read(string alias, IConfigurationSection cache, List<string> problems)
    {
        var section = cache.GetSection("fail_safe");
        if (!section.Exists()) return None;
        var before = problems.Count;
        if (section.Value is not null && !section.GetChildren().Any())
        {
            problems.Add($"'{alias}': fail_safe must be an object with {string.Join(", ", Settings)}.");
            return None;
        }
        foreach (var unknown in section.GetChildren().Select(c => c.Key).Where(k => !Settings.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            problems.Add($"'{alias}': fail_safe: unknown setting '{unknown}'; the settings are {string.Join(", ", Settings)}.");
        var maxStale = Number(alias, section, "max_stale", problems);
        if (maxStale is null && section["max_stale"] is null) problems.Add($"'{alias}': fail_safe.max_stale is required (seconds).");
        var soft = Number(alias, section, "soft_timeout", problems);
        var hard = Number(alias, section, "hard_timeout", problems);
        var eager = Number(alias, section, "eager_refresh", problems);
        var jitter = Number(alias, section, "jitter", problems);
        var throttle = Number(alias, section, "throttle", problems);
        if (throttle is < 0) problems.Add($"'{alias}': fail_safe.throttle must not be negative.");
        if (problems.Count > before) return None;
        var rules = FailSafeOptions.Validate(Span(maxStale!.Value), soft.HasValue ? Span(soft.Value) : null, hard.HasValue ? Span(hard.Value) : null, eager, jitter.HasValue ? Span(jitter.Value) : TimeSpan.Zero);
        problems.AddRange(rules.Select(rule => $"'{alias}': fail_safe.{rule}"));
        if (problems.Count > before) return None;
        return FailSafeOptions.For(Span(maxStale.Value))
            .WithSoftTimeout(soft.HasValue ? Span(soft.Value) : null)
            .WithHardTimeout(hard.HasValue ? Span(hard.Value) : null)
            .WithEagerRefresh(eager)
            .WithJitter(jitter.HasValue ? Span(jitter.Value) : TimeSpan.Zero)
            .WithThrottle(throttle.HasValue ? Span(throttle.Value) : TimeSpan.Zero);
    }

    private static TimeSpan Span(double seconds) => TimeSpan.FromSeconds(seconds);

    private static double? Number(string alias, IConfigurationSection section, string name, List<string> problems)
    {
        var text = section[name];
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && Math.Abs(value) < 1e9) return value;
        problems.Add($"'{alias}': fail_safe.{name} '{text}' is not a number.");
        return null;
    }
}
