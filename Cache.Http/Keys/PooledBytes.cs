using System.Buffers;
using System.Globalization;
using System.Text;

namespace FunctionalCache.Http;

/// <summary>
/// A growable byte buffer rented from the shared pool, holding the bytes a key digest hashes, so computing a key
/// allocates no buffer. <see cref="Return"/> it in a <c>finally</c>; it is a ref struct so it cannot be copied away.
/// </summary>
internal ref struct PooledBytes
{
    private byte[] _array;
    private int _length;

    public PooledBytes(int capacity)
    {
        _array = ArrayPool<byte>.Shared.Rent(capacity);
        _length = 0;
    }

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _array.AsSpan(0, _length);

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Free(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Appends the netstring <c>&lt;UTF-8 length&gt;:&lt;UTF-8 bytes&gt;,</c> of <paramref name="value"/>.</summary>
    public void WriteNetstring(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        // Up to 10 digits, the colon, the bytes and the comma.
        var free = Free(10 + 1 + count + 1);
        count.TryFormat(free, out var digits, provider: CultureInfo.InvariantCulture);
        free[digits] = (byte)':';
        Encoding.UTF8.GetBytes(value, free[(digits + 1)..]);
        free[digits + 1 + count] = (byte)',';
        _length += digits + 1 + count + 1;
    }

    /// <summary>Gives the array back to the pool; the buffer must not be used afterwards.</summary>
    public void Return()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        _length = 0;
    }

    // At least `needed` bytes after the written ones, growing into a larger rented array when short.
    private Span<byte> Free(int needed)
    {
        if (_array.Length - _length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + needed));
            Written.CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        return _array.AsSpan(_length);
    }
}
