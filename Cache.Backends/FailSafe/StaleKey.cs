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

    /// <summary>The stale key of <paramref name="key"/>.</summary>
    public static string For(string key) =>
        key.Length <= LongestKept
            ? Marker + key
            : Marker + "#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
