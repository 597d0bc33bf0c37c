using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tiers;

public sealed partial class TieredCache
{
    /// <inheritdoc/>
    /// <remarks>
    /// An L1 hit on a synchronous L1 (locmem) is answered without an async state machine, and on an L1 that holds
    /// references (locmem with <c>store=reference</c>) with the completed task of the previous hit on the same value
    /// object: no allocation.
    /// </remarks>
    public Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        if (_syncL1 is null) return GetThrough<T>(key, VersionOf(version), cancellationToken);
        var v = VersionOf(version);
        var local = _syncL1.Get<T>(key, v);
        if (!local.IsSome) return ReadAndAnswer<T>(key, v, cancellationToken);
        WarnOnHit(key, v);
        return _hitAnswers is null ? Task.FromResult(local) : _hitAnswers.For(local);
    }

    private async Task<OptionUnsafe<T>> GetThrough<T>(string key, int v, CancellationToken cancellationToken)
    {
        var local = await _l1.GetAsync<T>(key, v, cancellationToken).ConfigureAwait(false);
        if (local.IsSome)
        {
            WarnOnHit(key, v);
            return local;
        }
        return await ReadAndAnswer<T>(key, v, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OptionUnsafe<T>> ReadAndAnswer<T>(string key, int v, CancellationToken cancellationToken)
    {
        var read = await ReadThrough<T>(key, v, cancellationToken).ConfigureAwait(false);
        read.IfLeft(Answer);
        return read.IfLeft(OptionUnsafe<T>.None);
    }

    /// <inheritdoc/>
    public async Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default) =>
        (await GetAsync<T>(key, version, cancellationToken).ConfigureAwait(false)).IfNoneUnsafe(defaultValue);

    /// <inheritdoc/>
    public async Task<Either<CacheError, OptionUnsafe<T>>> TryGetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        var local = await _l1.GetAsync<T>(key, v, cancellationToken).ConfigureAwait(false);
        if (local.IsSome)
        {
            WarnOnHit(key, v);
            return local;
        }
        return await ReadThrough<T>(key, v, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The keys L1 lacks are read from L2 in one call; they are not copied into L1 (a many-key read cannot tell each entry's remaining lifetime).</remarks>
    public async Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(keys, nameof(keys));
        var v = VersionOf(version);
        var list = keys as IReadOnlyCollection<string> ?? keys.ToList();
        var local = await _l1.GetManyAsync<T>(list, v, cancellationToken).ConfigureAwait(false);
        foreach (var hit in local.Keys) WarnOnHit(hit, v);
        var missing = list.Where(k => !local.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return local;
        var found = new Dictionary<string, T>(local, StringComparer.Ordinal);
        try
        {
            foreach (var (k, value) in await _l2.GetManyAsync<T>(missing, v, cancellationToken).ConfigureAwait(false)) found[k] = value;
        }
        catch (CacheBackendException e)
        {
            Answer(CacheError.AllKeys, e);
        }
        return found;
    }

    /// <inheritdoc/>
    public async Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        var v = VersionOf(version);
        if (await _l1.HasKeyAsync(key, v, cancellationToken).ConfigureAwait(false))
        {
            WarnOnHit(key, v);
            return true;
        }
        try
        {
            return await _l2.HasKeyAsync(key, v, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            Answer(key, e);
            return false;
        }
    }

    /// <summary>Reads L2 and copies a hit into L1 for as long as the L2 entry has left (capped by the options).</summary>
    private async Task<Either<CacheError, OptionUnsafe<T>>> ReadThrough<T>(string key, int version, CancellationToken cancellationToken)
    {
        var before = MarkOf(key, version);
        if (_lifetimes is null)
        {
            var read = await _l2.TryGetAsync<T>(key, version, cancellationToken).ConfigureAwait(false);
            if (read.IsRight)
            {
                var found = read.IfLeft(OptionUnsafe<T>.None);
                if (found.IsSome) await Fill(key, version, found.IfNoneUnsafe(default(T)!), CacheTimeout.After(Options.UnknownLifetimeL1Timeout), before, cancellationToken).ConfigureAwait(false);
            }
            return read;
        }
        Option<CachedEntry<T>> entry;
        try
        {
            entry = await _lifetimes.GetEntryAsync<T>(key, version, cancellationToken).ConfigureAwait(false);
        }
        catch (CacheBackendException e)
        {
            return CacheError.Failed(key, e);
        }
        if (entry.Case is not CachedEntry<T> hit) return OptionUnsafe<T>.None;
        await Fill(key, version, hit.Value, hit.Remaining, before, cancellationToken).ConfigureAwait(false);
        return SomeUnsafe(hit.Value);
    }
}
