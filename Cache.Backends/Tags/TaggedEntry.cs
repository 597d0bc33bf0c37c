using System.Buffers.Binary;
using System.Text;

namespace FunctionalCache.Backends.Tags;

/// <summary>
/// The stored form of a tagged entry: a marker, the nonce of each tag at write time, then the value's serialized
/// bytes (or a null flag). Untagged values are stored as their plain serialized bytes, so counters stay counters.
/// </summary>
/// <remarks>
/// Layout: the 6 marker bytes, a flags byte (1 = null value), a 16-bit tag count, then per tag a 16-bit UTF-8 length,
/// the tag and its 64-bit nonce, all little-endian, then the value. An untagged value whose bytes happen to begin with
/// the marker is stored as an entry with no tags, so reading never mistakes a value for an envelope.
/// </remarks>
internal sealed record TaggedEntry(IReadOnlyList<(string Tag, long Nonce)> Stamps, bool IsNull, ReadOnlyMemory<byte> Value)
{
    private static readonly byte[] Marker = [0x00, 0x66, 0x63, 0x74, 0x67, 0x01];

    /// <summary>True when the stored bytes are an envelope, not a plain value.</summary>
    public static bool IsEnvelope(byte[] stored) => stored.AsSpan().StartsWith(Marker);

    /// <summary>The stored bytes of an envelope.</summary>
    public static byte[] Encode(IReadOnlyList<(string Tag, long Nonce)> stamps, byte[]? value)
    {
        var names = stamps.Select(s => Encoding.UTF8.GetBytes(s.Tag)).ToArray();
        var size = Marker.Length + 1 + 2 + names.Sum(n => 2 + n.Length + 8) + (value?.Length ?? 0);
        var bytes = new byte[size];
        var at = bytes.AsSpan();
        Marker.CopyTo(at); at = at[Marker.Length..];
        at[0] = value is null ? (byte)1 : (byte)0; at = at[1..];
        BinaryPrimitives.WriteUInt16LittleEndian(at, checked((ushort)stamps.Count)); at = at[2..];
        for (var i = 0; i < names.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(at, checked((ushort)names[i].Length)); at = at[2..];
            names[i].CopyTo(at); at = at[names[i].Length..];
            BinaryPrimitives.WriteInt64LittleEndian(at, stamps[i].Nonce); at = at[8..];
        }
        value?.CopyTo(at);
        return bytes;
    }

    /// <summary>The envelope in <paramref name="stored"/> (which <see cref="IsEnvelope"/> accepted).</summary>
    /// <exception cref="CacheSerializationException">The bytes are cut short.</exception>
    public static TaggedEntry Decode(byte[] stored)
    {
        try
        {
            var at = Marker.Length;
            var isNull = stored[at] == 1; at += 1;
            var count = BinaryPrimitives.ReadUInt16LittleEndian(stored.AsSpan(at)); at += 2;
            var stamps = new (string, long)[count];
            for (var i = 0; i < count; i++)
            {
                var length = BinaryPrimitives.ReadUInt16LittleEndian(stored.AsSpan(at)); at += 2;
                var tag = Encoding.UTF8.GetString(stored, at, length); at += length;
                stamps[i] = (tag, BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(at))); at += 8;
            }
            return new TaggedEntry(stamps, isNull, stored.AsMemory(at));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException)
        {
            throw new CacheSerializationException("A tagged entry's stored bytes are cut short.", e);
        }
    }
}
