using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Http;

/// <summary>Lower-case hex MD5 digests, as Django's <c>hashlib.md5(...).hexdigest()</c>; MD5 names entries, it guards nothing.</summary>
internal static class Md5Text
{
    /// <summary>The length of a digest in bytes.</summary>
    public const int HashBytes = 16;

    /// <summary>The length of a digest's hex text.</summary>
    public const int HexChars = 32;

    // Text up to this many UTF-8 bytes is encoded on the stack; a typical URL is well under it.
    private const int StackBytes = 512;

    /// <summary>The digest of the UTF-8 bytes of <paramref name="text"/> (a lone surrogate counts as U+FFFD).</summary>
    public static string OfUtf8(string text)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        HashUtf8(text, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Writes the MD5 of the UTF-8 bytes of <paramref name="text"/> to <paramref name="hash"/> (16 bytes).</summary>
    public static void HashUtf8(ReadOnlySpan<char> text, Span<byte> hash)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > StackBytes ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            var bytes = rented is null ? stackalloc byte[StackBytes] : rented;
            MD5.HashData(bytes[..Encoding.UTF8.GetBytes(text, bytes)], hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        MD5.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}
