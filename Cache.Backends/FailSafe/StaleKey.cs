using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Backends.FailSafe;

/// <summary>The caller's key under which the stale copy of a key's value is stored (the inner cache then applies prefix and version).</summary>
internal static class StaleKey
{
    /// <summary>The marker every stale key starts with; a caller's key that starts with it can collide (documented).</summary>
    public const string Marker = "fail-safe:";

    // Beyond this the derived key could push a key that fits memcached's 250 bytes past it: such keys are hashed instead.
    private const int LongestKept = 160;

    /// <summary>
    /// The stale key of <paramref name="key"/> at <paramref name="version"/>, or null when no stale copy is kept: when even
    /// the hashed form makes a key memcached could not take (a prefix or key function that adds spaces), the stale copy would
    /// log a key warning of its own on every operation, beside the one the value's key logs, so the key goes without fail-safe.
    /// </summary>
    public static string? For(string key, CachePolicy policy, int? version)
    {
        if (key.Length <= LongestKept)
        {
            var plain = Marker + key;
            if (Clean(plain, policy, version)) return plain;
        }
        var hashed = Marker + "#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Clean(hashed, policy, version) ? hashed : null;
    }

    private static bool Clean(string staleKey, CachePolicy policy, int? version) =>
        KeyRules.Validate(policy.MakeKey(staleKey, version)).IsEmpty;
}
