namespace FunctionalCache;

/// <summary>
/// Memcached's key rules, checked on the made key by every backend: at most 250 characters, and no
/// character in U+0000–U+0020 or U+007F.
/// </summary>
/// <remarks>
/// Django's <c>validate_key</c> / <c>memcache_key_warnings</c>. Length is counted in characters (UTF-16
/// code units here, code points in Django; they differ only for astral characters). Non-memcached
/// backends only warn; memcached rejects the key, so a key with CR/LF never reaches a text protocol.
/// </remarks>
public static class KeyRules
{
    /// <summary>The longest made key memcached accepts.</summary>
    public const int MaxLength = 250;

    /// <summary>
    /// Every rule the made key breaks, as warning texts in Django's wording; empty when the key is fine. Each text is
    /// one line: the key is quoted with its control characters shown as escapes (<c>\x1B</c>, <c>\n</c>, <c>\u2028</c>),
    /// so that a hostile key cannot forge log lines or drive a terminal (Django quotes it raw).
    /// </summary>
    public static LanguageExt.Seq<string> Validate(string madeKey)
    {
        var problems = LanguageExt.Seq<string>.Empty;
        if (madeKey.Length > MaxLength)
            problems = problems.Add(TooLongMessage(madeKey, MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (HasUnsafeCharacter(madeKey))
            problems = problems.Add(UnsafeCharacterMessage(madeKey));
        return problems;
    }

    /// <summary>The too-long warning for <paramref name="madeKey"/>, its limit written as <paramref name="limit"/> (<c>250</c>, <c>250 bytes in UTF-8</c>).</summary>
    internal static string TooLongMessage(string madeKey, string limit) =>
        $"Cache key will cause errors if used with memcached: {MessageText.Quoted(madeKey)} (longer than {limit})";

    /// <summary>The unsafe-character warning for <paramref name="madeKey"/>.</summary>
    internal static string UnsafeCharacterMessage(string madeKey) =>
        $"Cache key contains characters that will cause errors if used with memcached: {MessageText.Quoted(madeKey)}";

    /// <summary>
    /// True when the default made key <c>prefix:version:key</c> breaks no rule; computed without building
    /// the string, so the hot path of a backend allocates nothing for a good key.
    /// </summary>
    internal static bool IsValid(string keyPrefix, int version, string key)
    {
        var length = keyPrefix.Length + 2 + DigitCount(version) + key.Length;
        return length <= MaxLength && !HasUnsafeCharacter(keyPrefix) && !HasUnsafeCharacter(key);
    }

    /// <summary>True when <paramref name="text"/> holds a control character, a space or DEL.</summary>
    internal static bool HasUnsafeCharacter(ReadOnlySpan<char> text) => text.ContainsAny(Unsafe);

    // A vectorized search: checked on every key of every call, so it sits on the hit path.
    private static readonly System.Buffers.SearchValues<char> Unsafe =
        System.Buffers.SearchValues.Create("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u0020\u007f");

    private static int DigitCount(int version)
    {
        var digits = version < 0 ? 2 : 1;
        for (var v = Math.Abs((long)version); v >= 10; v /= 10) digits++;
        return digits;
    }
}
