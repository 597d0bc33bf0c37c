using System.Globalization;
using FunctionalCache.Backends.Tiers;
using LanguageExt;
using Microsoft.Extensions.Configuration;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

// The "tiers" and "backplane" settings of an object-form cache:
//   "default": { "backend": "redis", "location": "127.0.0.1:6379",
//                "tiers": { "l1": "locmem:///?max_entries=10000", "l1_max_duration": 300 }, "backplane": "redis" }
public static partial class CacheConfiguration
{
    /// <summary>The settings a <c>tiers</c> object may have.</summary>
    public static Seq<string> TierSettingNames { get; } = Seq("l1", "l1_max_duration", "unknown_lifetime_timeout", "backplane_down_timeout");

    private static Option<TierSettings> ReadTiers(string alias, IConfigurationSection cache, string backend, List<string> problems)
    {
        var tiers = cache.GetSection("tiers");
        var backplane = cache["backplane"];
        if (!tiers.Exists())
        {
            if (backplane is not null) problems.Add($"'{alias}': 'backplane' needs 'tiers' (the in-process level a backplane keeps coherent).");
            return None;
        }
        if (tiers.Value is { } flag && !flag.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"'{alias}': 'tiers' must be true or an object with {string.Join(", ", TierSettingNames)}.");
            return None;
        }
        foreach (var unknown in tiers.GetChildren().Select(c => c.Key).Where(k => !TierSettingNames.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            problems.Add($"'{alias}': unknown tiers setting '{unknown}'; the tiers settings are {string.Join(", ", TierSettingNames)}.");
        var l1 = tiers["l1"] ?? "locmem:///";
        if (!l1.StartsWith("locmem:", StringComparison.OrdinalIgnoreCase))
            problems.Add($"'{alias}': tiers l1 '{l1}' must be a locmem:// URI (the level in this process).");
        var name = (backplane ?? "none").ToLowerInvariant();
        var scheme = backend.ToLowerInvariant();
        if (!Backplanes.Names.Contains(name))
            problems.Add($"'{alias}': backplane '{backplane}' is not one of {string.Join(", ", Backplanes.Names)}.");
        else if (name == "redis" && scheme is not ("redis" or "rediss"))
            problems.Add($"'{alias}': backplane 'redis' needs backend redis or rediss, not '{backend}'.");
        else if (name == "postgres" && scheme != "db")
            problems.Add($"'{alias}': backplane 'postgres' needs backend db on PostgreSQL, not '{backend}'.");
        return new TierSettings(l1,
            Span(alias, "l1_max_duration", tiers["l1_max_duration"], problems),
            Span(alias, "unknown_lifetime_timeout", tiers["unknown_lifetime_timeout"], problems),
            Span(alias, "backplane_down_timeout", tiers["backplane_down_timeout"], problems),
            name);
    }

    private static Option<TimeSpan> Span(string alias, string setting, string? text, List<string> problems)
    {
        if (text is null) return None;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        problems.Add($"'{alias}': tiers {setting} '{text}' is not a positive number of seconds.");
        return None;
    }
}
