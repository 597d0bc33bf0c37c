using LanguageExt;

namespace FunctionalCache.Backends.Tags;

// RS0026: the tagged overloads add a required tags parameter to ICache's own, so a call without tags can never pick them.
#pragma warning disable RS0026
public sealed partial class TaggedCache
{
    /// <inheritdoc/>
    public async Task SetAsync<T>(string key, T value, IEnumerable<string> tags, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var checkedTags = TagStamp.CheckAll(tags, nameof(tags));
        // The stamps are read before the value is written: an eviction that lands in between changes a stamp this
        // entry has already recorded, so the entry reads as evicted, never as a hit after the eviction returned.
        var stamps = await StampsForWriteAsync(checkedTags, cancellationToken).ConfigureAwait(false);
        await _inner.SetAsync(key, Encode(value, stamps), timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, IEnumerable<string> tags, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default) =>
        GetOrSetCoreAsync(key, factory, TagStamp.CheckAll(tags, nameof(tags)), timeout, version, cancellationToken);

    private async Task<T> GetOrSetCoreAsync<T>(string key, Func<CancellationToken, Task<T>> factory, string[] tags, CacheTimeout? timeout, int? version, CancellationToken cancellationToken)
    {
        Guard.NotNull(factory, nameof(factory));
        var existing = await ReadAsync(key, version, cancellationToken).ConfigureAwait(false);
        if (existing.Live) return Decode<T>(existing);
        if (!existing.Found)
        {
            // Absent: the inner cache's get-or-set gives the single flight and lets a concurrent writer's value win.
            T made = default!;
            byte[]? encoded = null;
            var ran = false;
            var bytes = await _inner.GetOrSetAsync(key, async token =>
            {
                made = await factory(token).ConfigureAwait(false);
                encoded = Encode(made, await StampsForWriteAsync(tags, token).ConfigureAwait(false));
                ran = true;
                return encoded;
            }, timeout, version, cancellationToken).ConfigureAwait(false);
            // Our own value came back (not a racing writer's, which wins and is decoded below).
            if (ran && ReferenceEquals(bytes, encoded)) return made;
            var answered = await FromBytesAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (answered.Live) return Decode<T>(answered);
        }
        // A tag of the stored entry was evicted: one refill per key in this process replaces it.
        var refill = _refills.GetOrAdd((key, version), slot => new Lazy<Task<object?>>(async () =>
        {
            try
            {
                var value = await factory(cancellationToken).ConfigureAwait(false);
                var stamps = await StampsForWriteAsync(tags, cancellationToken).ConfigureAwait(false);
                await _inner.SetAsync(key, Encode(value, stamps), timeout, version, cancellationToken).ConfigureAwait(false);
                return value;
            }
            finally { _refills.TryRemove(slot, out _); }
        }));
        return (T)(await refill.Value.ConfigureAwait(false))!;
    }

    private async Task<Stored> FromBytesAsync(byte[]? bytes, CancellationToken cancellationToken)
    {
        if (bytes is null || !TaggedEntry.IsEnvelope(bytes)) return new Stored(true, true, bytes, null);
        var envelope = TaggedEntry.Decode(bytes);
        var stamps = await ReadStampsAsync(envelope.Stamps.Select(s => s.Tag), cancellationToken).ConfigureAwait(false);
        return new Stored(true, IsLive(envelope, stamps), bytes, envelope);
    }

    /// <inheritdoc/>
    public async Task RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        var evicted = await TryRemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        evicted.IfLeft(error => throw new CacheBackendException(
            $"The eviction of tag '{tag}' was not recorded: {error.Message}", (error as CacheError.BackendFailure)?.Cause));
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, Unit>> TryRemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        TagStamp.Check(tag, nameof(tag));
        // A fresh nonce, never expiring: every entry that recorded the old one stops matching at once.
        return TagStamps.EvictAsync(_inner, tag, cancellationToken);
    }
}
