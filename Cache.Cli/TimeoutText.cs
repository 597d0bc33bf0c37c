using System.Globalization;

namespace FunctionalCache.Cli;

/// <summary>Reads the <c>--timeout</c> text of <c>fcache set</c>: a number of seconds or <c>never</c>.</summary>
internal static class TimeoutText
{
    /// <summary>
    /// <c>never</c> (any case) → <see cref="CacheTimeout.Never"/>; a finite decimal number of seconds →
    /// <see cref="CacheTimeout.Seconds"/> (zero or negative: nothing is stored, the key is removed);
    /// anything else → None.
    /// </summary>
    public static CacheTimeout? TryParse(string text)
    {
        var t = text.Trim();
        if (string.Equals(t, "never", StringComparison.OrdinalIgnoreCase)) return CacheTimeout.Never;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            ? CacheTimeout.Seconds(seconds)
            : null;
    }
}
