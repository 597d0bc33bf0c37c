using System.Buffers.Binary;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// A response as the page cache stores it: status, header fields and body bytes, with a compact binary encoding so
/// that any <see cref="ICache"/> backend holds it as one byte array.
/// </summary>
/// <param name="Status">The status code (200 for a stored page).</param>
/// <param name="Headers">The header fields as they were sent, <c>Set-Cookie</c> never among them.</param>
/// <param name="Body">The body bytes as they were sent (already compressed when a compression middleware ran inside the cache).</param>
/// <remarks>
/// Encoding (version 1): the bytes <c>FC</c>, a version byte, the status as a 32-bit little-endian integer, the field
/// count, then each name and value and finally the body, each as a 32-bit little-endian length and its UTF-8 (or raw)
/// bytes. Version 2, written only for a page with a <see cref="Lifetime"/>, puts after the version byte the end of its
/// freshness (Unix milliseconds) and its two stale windows (seconds), each a 64-bit little-endian integer; the rest is
/// version 1's. A version-1 page still decodes (without a lifetime: fresh for as long as the backend keeps it).
/// <see cref="Decode"/> never throws: anything else (another version, a truncated entry) is None, which the
/// middleware treats as a miss. Immutable and thread-safe (the body array is never written after construction).
/// </remarks>
public sealed record CachedResponse(int Status, HeaderMap Headers, byte[] Body)
{
    private const byte Version = 1;
    private const byte VersionWithLifetime = 2;
    private const int LifetimeSize = 3 * 8;

    /// <summary>The page's freshness deadline and stale windows (RFC 5861), or None: fresh while the backend keeps it.</summary>
    public Option<PageLifetime> Lifetime { get; init; }

    /// <summary>A copy with <see cref="Lifetime"/> set.</summary>
    /// <exception cref="ArgumentNullException">The lifetime is null.</exception>
    public CachedResponse WithLifetime(PageLifetime lifetime) => this with { Lifetime = Some(Guard.NotNull(lifetime, nameof(lifetime))) };

    /// <summary>The stored form: see the type's remarks.</summary>
    public byte[] Encode()
    {
        var fields = Headers.Select(h => (Name: Encoding.UTF8.GetBytes(h.Key), Value: Encoding.UTF8.GetBytes(h.Value))).ToArray();
        var lifetime = Lifetime.MatchUnsafe(l => l, () => null);
        var size = 3 + (lifetime is null ? 0 : LifetimeSize) + 4 + 4 + fields.Sum(f => 8 + f.Name.Length + f.Value.Length) + 4 + Body.Length;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = (byte)'F';
        span[1] = (byte)'C';
        span[2] = lifetime is null ? Version : VersionWithLifetime;
        var at = 3;
        if (lifetime is not null)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], lifetime.FreshUntil.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], lifetime.Windows.Revalidate);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 16)..], lifetime.Windows.IfError);
            at += LifetimeSize;
        }
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Status);
        at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], fields.Length);
        at += 4;
        foreach (var (name, value) in fields)
        {
            at = Put(span, at, name);
            at = Put(span, at, value);
        }
        Put(span, at, Body);
        return bytes;
    }

    /// <summary>The response encoded in <paramref name="bytes"/>, or None when they are not a version-1 or version-2 encoding.</summary>
    public static Option<CachedResponse> Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 15 || bytes[0] != 'F' || bytes[1] != 'C' || bytes[2] is not (Version or VersionWithLifetime)) return None;
        var at = 3;
        PageLifetime? lifetime = null;
        if (bytes[2] == VersionWithLifetime)
        {
            if (bytes.Length < 15 + LifetimeSize) return None;
            var freshUntil = BinaryPrimitives.ReadInt64LittleEndian(bytes[at..]);
            var revalidate = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 8)..]);
            var ifError = BinaryPrimitives.ReadInt64LittleEndian(bytes[(at + 16)..]);
            if (freshUntil < MinUnixMilliseconds || freshUntil > MaxUnixMilliseconds || revalidate < 0 || ifError < 0) return None;
            lifetime = new PageLifetime(DateTimeOffset.FromUnixTimeMilliseconds(freshUntil), new StaleWindows(revalidate, ifError));
            at += LifetimeSize;
        }
        var status = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        if (status is < 100 or > 999 || count < 0 || count > bytes.Length / 8) return None;
        var headers = HeaderMap.Empty;
        for (var i = 0; i < count; i++)
        {
            if (!Take(bytes, ref at, out var name) || !Take(bytes, ref at, out var value)) return None;
            headers = headers.Append(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value));
        }
        if (!Take(bytes, ref at, out var body) || at != bytes.Length) return None;
        var response = new CachedResponse(status, headers, body.ToArray());
        return Some(lifetime is null ? response : response with { Lifetime = Some(lifetime) });
    }

    private static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static int Put(Span<byte> span, int at, byte[] data)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], data.Length);
        data.CopyTo(span[(at + 4)..]);
        return at + 4 + data.Length;
    }

    private static bool Take(ReadOnlySpan<byte> bytes, ref int at, out ReadOnlySpan<byte> data)
    {
        data = default;
        if (bytes.Length - at < 4) return false;
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        if (length < 0 || length > bytes.Length - at - 4) return false;
        data = bytes.Slice(at + 4, length);
        at += 4 + length;
        return true;
    }
}
