using System.Buffers.Binary;

namespace FunctionalCache.Backends.File;

/// <summary>
/// The on-disk format of one entry: a 24-byte header, the made key, then the payload.
/// </summary>
/// <remarks>
/// Layout (integers little-endian): bytes 0–5 the magic <c>FCACHE</c>; 6 the format version (1);
/// 7 flags (bit 0: a stored null, no payload); 8–15 the expiry in UTC ticks (<see cref="long.MaxValue"/>
/// for never); 16–19 the key length; 20–23 the payload length; then the UTF-8 made key and the payload.
/// The lengths must add up to the file length exactly, so a truncated or padded file is corrupt. The
/// made key is stored so that two keys whose digests collide can never read each other's value.
/// </remarks>
internal readonly struct FileEntry
{
    /// <summary>Bytes before the key.</summary>
    public const int HeaderSize = 24;

    private const byte FormatVersion = 1;
    private const byte NullFlag = 1;
    private static ReadOnlySpan<byte> Magic => "FCACHE"u8;

    private FileEntry(Expiry expiry, bool isNull, int keyLength, int payloadLength)
    {
        Expiry = expiry;
        IsNull = isNull;
        KeyLength = keyLength;
        PayloadLength = payloadLength;
    }

    /// <summary>When the entry stops being visible.</summary>
    public Expiry Expiry { get; }

    /// <summary>True for a stored null.</summary>
    public bool IsNull { get; }

    private int KeyLength { get; }

    private int PayloadLength { get; }

    /// <summary>The file content for <paramref name="payload"/> (bytes or <see cref="StoredNull"/>) under <paramref name="key"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> key, object payload, Expiry expiry)
    {
        var isNull = payload is StoredNull;
        var bytes = isNull ? [] : (byte[])payload;
        var file = new byte[HeaderSize + key.Length + bytes.Length];
        Magic.CopyTo(file);
        file[6] = FormatVersion;
        file[7] = isNull ? NullFlag : (byte)0;
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), expiry.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(20), bytes.Length);
        key.CopyTo(file.AsSpan(HeaderSize));
        bytes.CopyTo(file.AsSpan(HeaderSize + key.Length));
        return file;
    }

    /// <summary>True when <paramref name="start"/> begins with our magic and format version (the file is ours).</summary>
    public static bool IsOurs(ReadOnlySpan<byte> start) =>
        start.Length >= 7 && start[..6].SequenceEqual(Magic) && start[6] == FormatVersion;

    /// <summary>Reads the header of a whole file; false when the file is foreign, corrupt or truncated.</summary>
    public static bool TryRead(ReadOnlySpan<byte> file, out FileEntry entry)
    {
        entry = default;
        if (!TryReadHeader(file, out entry)) return false;
        return (long)HeaderSize + entry.KeyLength + entry.PayloadLength == file.Length;
    }

    /// <summary>Reads the header only (the first <see cref="HeaderSize"/> bytes); false when they are not ours.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> start, out FileEntry entry)
    {
        entry = default;
        if (start.Length < HeaderSize || !IsOurs(start) || (start[7] & ~NullFlag) != 0) return false;
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(start[16..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(start[20..]);
        var isNull = start[7] == NullFlag;
        if (keyLength < 0 || payloadLength < 0 || (isNull && payloadLength != 0)) return false;
        entry = new FileEntry(new Expiry(BinaryPrimitives.ReadInt64LittleEndian(start[8..])), isNull, keyLength, payloadLength);
        return true;
    }

    /// <summary>True when the file was written for <paramref name="key"/> (not for a key whose digest collides).</summary>
    public bool IsFor(ReadOnlySpan<byte> file, ReadOnlySpan<byte> key) =>
        file.Slice(HeaderSize, KeyLength).SequenceEqual(key);

    /// <summary>The payload: <see cref="StoredNull.Instance"/> or a copy of the stored bytes.</summary>
    public object Payload(ReadOnlySpan<byte> file) =>
        IsNull ? StoredNull.Instance : file.Slice(HeaderSize + KeyLength, PayloadLength).ToArray();

    /// <summary>The same entry with another expiry, as file content.</summary>
    public byte[] WithExpiry(ReadOnlySpan<byte> file, Expiry expiry)
    {
        var copy = file.ToArray();
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(8), expiry.UtcTicks);
        return copy;
    }
}
