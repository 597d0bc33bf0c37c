using LanguageExt;

namespace FunctionalCache.Backends.Tags;

public sealed partial class TaggedCache
{
    // The inner cache's Try… answers pass through, so a lenient backend's dropped write is a Left here too; a failed
    // read of the stamps around them (thrown by a strict backend) is a Left as well.

    /// <inheritdoc/>
    public async Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var raw = await _inner.TryGetAsync<byte[]>(key, version, cancellationToken).ConfigureAwait(false);
        if (raw.IsLeft || raw.Match(Right: found => found.IsNone, Left: _ => true)) return raw.Map(_ => OptionUnsafe<T>.None);
        return await Guarded(key, async () =>
        {
            var bytes = raw.MatchUnsafe(Right: found => found.IfNoneUnsafe((byte[])null!), Left: _ => null);
            var stored = await FromBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
            return stored.Live ? Prelude.SomeUnsafe(Decode<T>(stored)) : OptionUnsafe<T>.None;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TrySetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.TrySetAsync(key, Encode(value), timeout, version, cancellationToken);

    /// <inheritdoc/>
    public async Task<Either<CacheError, bool>> TryAddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var bytes = Encode(value);
        var added = await _inner.TryAddAsync(key, bytes, timeout, version, cancellationToken).ConfigureAwait(false);
        if (added.Match(Right: done => done, Left: _ => true)) return added;
        return await Guarded(key, () => AddBytesAsync(key, bytes, timeout, version, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, bool>> TryDeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.TryDeleteAsync(key, version, cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, bool>> TryTouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        _inner.TryTouchAsync(key, timeout, version, cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TryClearAsync(CancellationToken cancellationToken = default) => _inner.TryClearAsync(cancellationToken);

    private static async Task<Either<CacheError, TResult>> Guarded<TResult>(string key, Func<Task<TResult>> run)
    {
        try { return await run().ConfigureAwait(false); }
        catch (CacheBackendException e) { return CacheError.Failed(key, e); }
    }
}
