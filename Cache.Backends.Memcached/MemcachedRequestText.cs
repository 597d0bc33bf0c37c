using System.Buffers;
using System.Buffers.Text;

namespace FunctionalCache.Backends.Memcached;

/// <summary>Writes a request's protocol text into an outgoing buffer: words, keys, values, numbers and line ends.</summary>
internal readonly struct MemcachedRequestText(ArrayBufferWriter<byte> into)
{
    /// <summary>Appends ASCII text (protocol words) or raw bytes (a key or a value).</summary>
    public MemcachedRequestText Bytes(ReadOnlySpan<byte> bytes)
    {
        into.Write(bytes);
        return this;
    }

    /// <summary>Appends a decimal number.</summary>
    public MemcachedRequestText Number(long value)
    {
        Utf8Formatter.TryFormat(value, into.GetSpan(20), out var written);
        into.Advance(written);
        return this;
    }

    /// <summary>Appends an unsigned decimal number.</summary>
    public MemcachedRequestText Number(ulong value)
    {
        Utf8Formatter.TryFormat(value, into.GetSpan(20), out var written);
        into.Advance(written);
        return this;
    }

    /// <summary>Ends a line.</summary>
    public MemcachedRequestText EndLine() => Bytes("\r\n"u8);
}
