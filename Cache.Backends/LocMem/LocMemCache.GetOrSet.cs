namespace FunctionalCache.Backends.LocMem;

// RS0026: the state overload of GetOrSet adds a required state parameter before the factory, so a call without state
// can never pick it.
#pragma warning disable RS0026

public sealed partial class LocMemCache
{
    /// <inheritdoc/>
    /// <remarks>
    /// A hit is the read of <see cref="Get{T}"/>: no task, no allocation. A miss joins the flights of
    /// <see cref="CacheBase.GetOrSetAsync{T}"/>, so sync and async callers of one key share one factory run.
    /// </remarks>
    public T GetOrSet<T>(string key, Func<T> factory, CacheTimeout? timeout = null, int? version = null)
    {
        Guard.NotNull(factory, nameof(factory));
        // The hit is read here rather than in the state overload: reaching that with a cached adapter lambda would
        // cost shared generic code (any reference T) a run-time lookup of the lambda's static field on every hit.
        return TryRead(key, version, touchStamp: true, out var entry)
            ? Read<T>(entry.Payload)
            : GetOrSetOnMiss(new CacheKey(key, version ?? _currentVersion), factory, static run => run(), timeout);
    }

    /// <inheritdoc/>
    /// <remarks>As <see cref="GetOrSet{T}(string, Func{T}, CacheTimeout?, int?)"/>.</remarks>
    public T GetOrSet<TState, T>(string key, TState state, Func<TState, T> factory, CacheTimeout? timeout = null, int? version = null)
    {
        Guard.NotNull(factory, nameof(factory));
        return TryRead(key, version, touchStamp: true, out var entry)
            ? Read<T>(entry.Payload)
            : GetOrSetOnMiss(new CacheKey(key, version ?? _currentVersion), state, factory, timeout);
    }

    /// <summary>
    /// Get-or-set after a miss (the key already checked and warned about by the read): lead the key's flight, or wait
    /// for the running one. Mirrors <see cref="CacheBase.GetOrSetAsync{T}"/> step by step, on the calling thread.
    /// </summary>
    private T GetOrSetOnMiss<TState, T>(CacheKey key, TState state, Func<TState, T> factory, CacheTimeout? timeout)
    {
        var flight = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flightKey = (StoreIdentity, Policy.MakeKey(key));
        var leader = Flights.GetOrAdd(flightKey, flight.Task);
        if (leader != flight.Task) return Shared<T>(leader.GetAwaiter().GetResult());
        try
        {
            var slot = Slot(key);
            // A caller that read its miss just before another leader finished must not run the factory again.
            if (TryLive(slot, touchStamp: true, out var stored)) return Settle(flight, Read<T>(stored.Payload));
            var value = factory(state);
            var expiry = ExpiryOf(timeout);
            // Django's get_or_set: add, then read back, so that a writer who got there first wins.
            if (expiry.IsNone || AddPayload(key, KeyIsValid(key), EncodeValue(value), expiry)) return Settle(flight, value);
            return Settle(flight, TryLive(Slot(key), touchStamp: true, out var winner) ? Read<T>(winner.Payload) : value);
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

    private static T Settle<T>(TaskCompletionSource<object?> flight, T value)
    {
        flight.SetResult(value);
        return value;
    }
}
