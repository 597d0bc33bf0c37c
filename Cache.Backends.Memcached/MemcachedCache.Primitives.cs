using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

public sealed partial class MemcachedCache
{
    /// <inheritdoc/>
    protected override ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken) =>
        Client.GetCoreAsync(WireKey(key), false, static item => FoundPayload(item), Option<object>.None, cancellationToken);

    /// <inheritdoc/>
    protected override async ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var wireKey = WireKey(key);
        var (value, flags) = Wire(payload);
        var result = await Client.StoreCoreAsync(MemcachedStoreMode.Set, wireKey, value, flags, Ttl(expiry), 0, cancellationToken).ConfigureAwait(false);
        if (result == MemcachedStoreResult.TooLarge)
        {
            // memcached drops the old item itself on a failed set; delete anyway so no stale value can survive.
            await Client.DeleteCoreAsync(wireKey, cancellationToken).ConfigureAwait(false);
            throw TooLarge(key, value.Length);
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var (value, flags) = Wire(payload);
        var result = await Client.StoreCoreAsync(MemcachedStoreMode.Add, WireKey(key), value, flags, Ttl(expiry), 0, cancellationToken).ConfigureAwait(false);
        return result == MemcachedStoreResult.TooLarge ? throw TooLarge(key, value.Length) : result == MemcachedStoreResult.Stored;
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken) =>
        Client.TouchCoreAsync(WireKey(key), Ttl(expiry), cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken) =>
        Client.DeleteCoreAsync(WireKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken) =>
        Client.ContainsCoreAsync(WireKey(key), cancellationToken);

    /// <inheritdoc/>
    protected override async ValueTask ClearCore(CancellationToken cancellationToken) =>
        await Client.FlushAllAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    protected override async ValueTask<Option<object>[]> ReadManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        using var batch = new MemcachedKeyBatch(keys.Count);
        for (var i = 0; i < keys.Count; i++) AddWireKey(batch, keys[i]);
        var payloads = new Option<object>[keys.Count];
        await Client.GetManyCoreAsync(batch, payloads, static (value, flags) => FoundPayload(value, flags), cancellationToken).ConfigureAwait(false);
        return payloads;
    }

    /// <inheritdoc/>
    protected override async ValueTask<Seq<CacheKey>> WriteManyCore(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, CancellationToken cancellationToken)
    {
        var wire = new (byte[] Key, ReadOnlyMemory<byte> Value, uint Flags)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var (value, flags) = Wire(items[i].Payload);
            wire[i] = (WireKey(items[i].Key), value, flags);
        }
        var results = await Client.StoreManyCoreAsync(MemcachedStoreMode.Set, wire, Ttl(expiry), cancellationToken).ConfigureAwait(false);
        var refused = new List<CacheKey>();
        var tooLarge = new List<byte[]>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i] == MemcachedStoreResult.Stored) continue;
            refused.Add(items[i].Key);
            if (results[i] == MemcachedStoreResult.TooLarge) tooLarge.Add(wire[i].Key);
        }
        if (tooLarge.Count > 0) await Client.DeleteManyCoreAsync(tooLarge, cancellationToken).ConfigureAwait(false);
        return refused.ToSeq().Strict();
    }

    /// <inheritdoc/>
    protected override ValueTask RemoveManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        var wireKeys = new byte[keys.Count][];
        for (var i = 0; i < keys.Count; i++) wireKeys[i] = WireKey(keys[i]);
        return Client.DeleteManyCoreAsync(wireKeys, cancellationToken);
    }
}
