using LanguageExt;

namespace FunctionalCache.Backends.Tiers;

public sealed partial class TieredCache
{
    /// <inheritdoc/>
    /// <remarks>
    /// L1, then L2, then the factory: its value is added to L2 (a concurrent writer's value wins, as in Django) and
    /// copied to L1. Callers that miss the same key while a factory runs wait for that one run, whichever tier over the
    /// same L2 store in this process they call. An L2 failure is a miss: the factory's value is returned unstored.
    /// </remarks>
    public async Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(factory, nameof(factory));
        var v = VersionOf(version);
        var local = await _l1.GetAsync<T>(key, v, cancellationToken).ConfigureAwait(false);
        if (local.IsSome)
        {
            WarnOnHit(key, v);
            return local.IfNoneUnsafe(default(T)!);
        }

        var flight = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flightKey = (_store, _l2.Policy.MakeKey(key, v));
        var leader = Flights.GetOrAdd(flightKey, flight.Task);
        if (leader != flight.Task) return (T)(await leader.WaitAsync(cancellationToken).ConfigureAwait(false))!;
        try
        {
            var result = await Produce(key, v, factory, timeout, cancellationToken).ConfigureAwait(false);
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

    private async Task<T> Produce<T>(string key, int version, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout, CancellationToken cancellationToken)
    {
        // Read again as the leader: a caller that missed just before another leader finished must not run the factory.
        var read = await ReadThrough<T>(key, version, cancellationToken).ConfigureAwait(false);
        read.IfLeft(Answer);
        var found = read.IfLeft(OptionUnsafe<T>.None);
        if (found.IsSome) return found.IfNoneUnsafe(default(T)!);

        var value = await factory(cancellationToken).ConfigureAwait(false);
        var lifetime = Resolved(timeout);
        if (lifetime is CacheTimeout.AfterCase after && after.Span <= TimeSpan.Zero) return value;
        var before = MarkOf(key, version);
        var added = await _l2.TryAddAsync(key, value, lifetime, version, cancellationToken).ConfigureAwait(false);
        if (added.IsLeft)
        {
            added.IfLeft(Answer);
            return value;
        }
        if (added.IfLeft(false))
        {
            await WriteThrough(key, version, value, lifetime, before, cancellationToken).ConfigureAwait(false);
            await PublishChanged(key, version).ConfigureAwait(false);
            return value;
        }
        var winner = await ReadThrough<T>(key, version, cancellationToken).ConfigureAwait(false);
        winner.IfLeft(Answer);
        var won = winner.IfLeft(OptionUnsafe<T>.None);
        return won.IsSome ? won.IfNoneUnsafe(default(T)!) : value;
    }
}
