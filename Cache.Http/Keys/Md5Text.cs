using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Http;

/// <summary>Lower-case hex MD5 digests, as Django's <c>hashlib.md5(...).hexdigest()</c>; MD5 names entries, it guards nothing.</summary>
internal static class Md5Text
{
    /// <summary>The digest of the UTF-8 bytes of <paramref name="text"/> (a lone surrogate counts as U+FFFD).</summary>
    public static string OfUtf8(string text)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try { return Of(rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented))); }
        finally { ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[16];
        MD5.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}
