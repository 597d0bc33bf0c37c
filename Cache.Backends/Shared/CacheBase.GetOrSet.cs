namespace FunctionalCache.Backends;

public abstract partial class CacheBase
{
    /// <inheritdoc/>
    /// <remarks>
    /// Django's <c>get_or_set</c>: on a miss the factory's value is added, then the stored value is
    /// returned, so a concurrent writer wins. Callers in this process that miss the same key while a
    /// factory runs wait for that one run (single flight) instead of starting their own, whichever cache on the
    /// same store they call (two file caches on one directory, two db caches on one table).
    /// </remarks>
    public virtual async Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(factory, nameof(factory));
        var cacheKey = Key(key, version);
        var hit = await Read(cacheKey, FailuresAreMisses, cancellationToken).ConfigureAwait(false);
        if (hit.IsSome) return Decode<T>(hit.IfNone(StoredNull.Instance));

        var flight = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flightKey = (StoreIdentity, Policy.MakeKey(cacheKey));
        var leader = Flights.GetOrAdd(flightKey, flight.Task);
        if (leader != flight.Task) return Shared<T>(await leader.WaitAsync(cancellationToken).ConfigureAwait(false));
        try
        {
            // A caller that read its miss just before another leader finished must not run the factory again.
            var stored = await Read(cacheKey, FailuresAreMisses, cancellationToken).ConfigureAwait(false);
            if (stored.IsSome)
            {
                var existing = Decode<T>(stored.IfNone(StoredNull.Instance));
                flight.SetResult(existing);
                return existing;
            }
            var value = await factory(cancellationToken).ConfigureAwait(false);
            var payload = Encode(value);
            var expiry = ExpiryOf(timeout);
            var added = expiry.IsSome && await Add(cacheKey, payload, expiry.IfNone(Expiry.Never), FailuresAreMisses, cancellationToken).ConfigureAwait(false);
            var result = value;
            if (!added && expiry.IsSome)
            {
                var winner = await Read(cacheKey, FailuresAreMisses, cancellationToken).ConfigureAwait(false);
                if (winner.IsSome) result = Decode<T>(winner.IfNone(StoredNull.Instance));
            }
            flight.SetResult(result);
            return result;
        }
        catch (Exception e)
        {
            flight.SetException(e);
            throw;
        }
        finally
        {
            Flights.TryRemove(new KeyValuePair<(object, string), Task<object?>>(flightKey, flight.Task));
        }
    }

    /// <summary>
    /// A waiter's own copy of the value its flight's leader returned, as its own read would have given it: a round trip
    /// through <see cref="Encode{T}"/> and <see cref="Decode{T}"/>, which is a copy where the store keeps serialized
    /// values and the same object where it keeps references. The leader's object is its own caller's to mutate.
    /// </summary>
    private protected T Shared<T>(object? led) => Decode<T>(Encode((T)led!));
}
