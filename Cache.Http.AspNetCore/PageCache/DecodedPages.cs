using System.Collections.Concurrent;
using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The pages a page cache decoded last, by page key, each kept with the bytes it was decoded from. A backend that hands
/// back a new array on every read (locmem's copy store, file, db, memcached, redis) would otherwise have every hit
/// decode its page again; here a hit whose bytes equal the remembered ones reuses the decode, and any other bytes are
/// decoded afresh, so the memo can never answer with a page other than the one just read.
/// </summary>
/// <remarks>
/// Bounded by pages and by the bytes it keeps alive (emptied when either bound is reached): it saves decodes and holds
/// nothing a caller relies on. Thread-safe (a concurrent dictionary of immutable values).
/// </remarks>
internal sealed class DecodedPages
{
    private const int MaxPages = 1_000;
    private const long MaxBytes = 16L << 20;
    private readonly ConcurrentDictionary<string, Decoded> _pages = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>The page stored as <paramref name="bytes"/> under <paramref name="key"/>, or None when they are no valid encoding.</summary>
    public Option<ServedEntry> Of(string key, byte[] bytes)
    {
        // The same array (a reference store) or the same content (a copy of it): a vectorized compare, not a decode.
        if (_pages.TryGetValue(key, out var known) && (ReferenceEquals(known.Source, bytes) || known.Source.AsSpan().SequenceEqual(bytes)))
            return known.Entry;
        var decoded = ServedEntry.Decode(bytes);
        // Not IfSome with a lambda: it would capture the arguments, and the capture is made on every call, hits too.
        if (decoded.Case is ServedEntry entry) Remember(key, new Decoded(bytes, entry));
        return decoded;
    }

    private void Remember(string key, Decoded page)
    {
        if (_pages.Count >= MaxPages || Interlocked.Add(ref _bytes, page.Source.Length) > MaxBytes)
        {
            _pages.Clear();
            Interlocked.Exchange(ref _bytes, page.Source.Length);
        }
        // The count of bytes is an estimate (a replaced page's bytes stay counted until the next emptying): a memo
        // emptied early only decodes again.
        _pages[key] = page;
    }

    private sealed record Decoded(byte[] Source, ServedEntry Entry);
}
