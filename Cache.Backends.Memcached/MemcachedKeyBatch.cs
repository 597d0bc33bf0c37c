using System.Buffers;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// Many wire keys back to back in one pooled buffer (no array per key), for the pipelined many-key
/// requests. Not thread-safe; dispose to give the buffers back to the pool.
/// </summary>
internal sealed class MemcachedKeyBatch : IDisposable
{
    private byte[] _bytes;
    private int[] _ends;
    private int _length;

    /// <summary>An empty batch with room for <paramref name="capacity"/> keys.</summary>
    public MemcachedKeyBatch(int capacity)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(MemcachedWireKey.MaxBytes, capacity * 24));
        _ends = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
    }

    /// <summary>The keys added so far.</summary>
    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>th key's bytes.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            var start = index == 0 ? 0 : _ends[index - 1];
            return _bytes.AsSpan(start, _ends[index] - start);
        }
    }

    /// <summary>Room for the next key (at least <see cref="MemcachedWireKey.MaxBytes"/> bytes); <see cref="Commit"/> what was written.</summary>
    public Span<byte> Next()
    {
        if (_bytes.Length - _length < MemcachedWireKey.MaxBytes) Grow(ref _bytes, _length, _bytes.Length * 2 + MemcachedWireKey.MaxBytes);
        return _bytes.AsSpan(_length);
    }

    /// <summary>Adds the <paramref name="length"/> bytes written into <see cref="Next"/> as the next key.</summary>
    public void Commit(int length)
    {
        if (Count == _ends.Length) Grow(ref _ends, Count, _ends.Length * 2);
        _length += length;
        _ends[Count++] = _length;
    }

    /// <summary>Adds a made key, checked as <see cref="MemcachedWireKey.Encode"/> checks it.</summary>
    /// <exception cref="InvalidCacheKeyException">The key cannot be sent.</exception>
    public void Add(string madeKey) => Commit(MemcachedWireKey.Write(madeKey, Next()));

    private static void Grow<T>(ref T[] array, int used, int size)
    {
        var bigger = ArrayPool<T>.Shared.Rent(size);
        array.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ends.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<int>.Shared.Return(_ends);
        _bytes = [];
        _ends = [];
    }
}
