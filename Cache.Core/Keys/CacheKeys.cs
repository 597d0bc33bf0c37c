namespace FunctionalCache;

/// <summary>Key making: the default key function and the made key of a policy.</summary>
public static class CacheKeys
{
    /// <summary>Django's default key function: <c>prefix:version:key</c>.</summary>
    /// <example><c>DefaultKeyFunction("key", "", 1)</c> is <c>":1:key"</c>; with prefix <c>site1</c> and version 2, <c>"site1:2:key"</c>.</example>
    public static readonly Func<string, string, int, string> DefaultKeyFunction = (key, prefix, version) => string.Concat(prefix, ":", version.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", key);

    /// <summary>True when <paramref name="function"/> is <see cref="DefaultKeyFunction"/>, so backends may key entries by (version, key) without building the string.</summary>
    internal static bool IsDefault(Func<string, string, int, string> function) => ReferenceEquals(function, DefaultKeyFunction);
}
