using Dapper;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Database;

public sealed partial class DatabaseCache
{
    /// <inheritdoc/>
    protected override async ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var made = Made(key);
        return await Run(async (c, ct) =>
        {
            var row = await ReadRow(c, made, ct).ConfigureAwait(false);
            if (row is null) return None;
            if (row.IsLiveAt(now)) return Some(row.Payload);
            Forgot(await Execute(c, null, _sql.RemoveExpiredOf, new { keys = new[] { made }, now }, ct).ConfigureAwait(false));
            return Option<object>.None;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One SELECT for every key; the expired rows found go in one DELETE.</remarks>
    protected override async ValueTask<Option<object>[]> ReadManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        var found = new Option<object>[keys.Count];
        if (keys.Count == 0) return found;
        var now = Now.UtcTicks;
        var made = new string[keys.Count];
        for (var i = 0; i < made.Length; i++) made[i] = Made(keys[i]);
        var rows = await Run(async (c, ct) =>
        {
            var read = (await c.Connection.QueryAsync<StoredRow>(Command(_sql.ReadMany, new { keys = made.Distinct(StringComparer.Ordinal).ToArray() }, null, ct)).ConfigureAwait(false)).AsList();
            var expired = read.Where(row => !row.IsLiveAt(now)).Select(row => row.Key).ToArray();
            if (expired.Length > 0) Forgot(await Execute(c, null, _sql.RemoveExpiredOf, new { keys = expired, now }, ct).ConfigureAwait(false));
            return read;
        }, cancellationToken).ConfigureAwait(false);
        var live = rows.Where(row => row.IsLiveAt(now)).ToDictionary(row => row.Key, row => row.Payload, StringComparer.Ordinal);
        for (var i = 0; i < made.Length; i++) found[i] = live.TryGetValue(made[i], out var payload) ? Some(payload) : None;
        return found;
    }

    /// <inheritdoc/>
    protected override async ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var (value, kind) = Stored(payload);
        var row = new { key = Made(key), value, kind, expires = expiry.UtcTicks, now };
        await Run(async (c, ct) =>
        {
            await Put(c, null, row, now, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One transaction for all the pairs.</remarks>
    protected override async ValueTask<Seq<CacheKey>> WriteManyCore(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return LanguageExt.Seq<CacheKey>.Empty;
        var now = Now.UtcTicks;
        var rows = items.Select(item =>
        {
            var (value, kind) = Stored(item.Payload);
            return new { key = Made(item.Key), value, kind, expires = expiry.UtcTicks, now };
        }).ToList();
        await Run(async (c, ct) =>
        {
            // The whole transaction is one insert as far as the count goes: its new rows are not seen by a count
            // on another connection before the commit.
            await _insertGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await using var transaction = await c.Connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                foreach (var row in rows) await Put(c, transaction, row, now, ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }
            finally
            {
                _insertGate.Release();
            }
        }, cancellationToken).ConfigureAwait(false);
        return LanguageExt.Seq<CacheKey>.Empty;
    }

    /// <summary>Overwrites the row, or culls if due and inserts it (under the insert gate, which a transaction's caller holds).</summary>
    private async ValueTask Put(PooledConnection c, System.Data.Common.DbTransaction? transaction, object row, long now, CancellationToken ct)
    {
        // An overwrite never culls: only a new row can push the count over MaxEntries.
        if (await Execute(c, transaction, _sql.Overwrite, row, ct).ConfigureAwait(false) > 0) return;
        if (transaction is null) await _insertGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await CullIfDue(c, transaction, now, ct).ConfigureAwait(false);
            // An upsert, not an insert: a racing writer may have inserted the key since the update.
            await Execute(c, transaction, _sql.Upsert, row, ct).ConfigureAwait(false);
            Inserted();
        }
        finally
        {
            if (transaction is null) _insertGate.Release();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Atomic: an expired row is replaced by one conditional UPDATE, a new row goes in by an upsert whose update applies only to an expired row.</remarks>
    protected override async ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var (value, kind) = Stored(payload);
        var row = new { key = Made(key), value, kind, expires = expiry.UtcTicks, now };
        return await Run(async (c, ct) =>
        {
            if (await Execute(c, null, _sql.OverwriteExpired, row, ct).ConfigureAwait(false) > 0) return true;
            await _insertGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (CountDue)
                {
                    // Cull only for a row that will be new: an add that fails must not shrink the cache.
                    if (await Scalar(c, null, _sql.Contains, row, ct).ConfigureAwait(false) > 0) return false;
                    await CullIfDue(c, null, now, ct).ConfigureAwait(false);
                }
                var added = await Execute(c, null, _sql.InsertUnlessLive, row, ct).ConfigureAwait(false) > 0;
                if (added) Inserted();
                return added;
            }
            finally
            {
                _insertGate.Release();
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken)
    {
        var row = new { key = Made(key), expires = expiry.UtcTicks, now = Now.UtcTicks };
        return await Run(async (c, ct) => await Execute(c, null, _sql.Touch, row, ct).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var made = Made(key);
        return await Run(async (c, ct) =>
        {
            var removed = (await c.Connection.QueryAsync<long>(Command(_sql.Remove, new { key = made }, null, ct)).ConfigureAwait(false)).AsList();
            Forgot(removed.Count);
            return removed.Exists(expires => expires > now);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One DELETE for every key.</remarks>
    protected override async ValueTask RemoveManyCore(IReadOnlyList<CacheKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return;
        var made = keys.Select(Made).Distinct(StringComparer.Ordinal).ToArray();
        await Run(async (c, ct) =>
        {
            Forgot(await Execute(c, null, _sql.RemoveMany, new { keys = made }, ct).ConfigureAwait(false));
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken)
    {
        var row = new { key = Made(key), now = Now.UtcTicks };
        return await Run(async (c, ct) => await Scalar(c, null, _sql.Contains, row, ct).ConfigureAwait(false) > 0, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Atomic across processes without a transaction: read the row, compute the new payload, then
    /// UPDATE only if the value is still the one read (compare-and-swap); a lost race reads again.
    /// Only the value is written, so the expiry is kept.
    /// </remarks>
    protected override async ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var now = Now.UtcTicks;
        var made = Made(key);
        return await Run(async (c, ct) =>
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var row = await ReadRow(c, made, ct).ConfigureAwait(false);
                if (row is null || !row.IsLiveAt(now)) return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
                if (row.Kind == StoredRow.NullKind) return Left<CacheError, long>(new CacheError.NotAnInteger(key.Key));
                var next = PayloadArithmetic.Add(key.Key, row.Value, delta);
                if (next.IsLeft) return next.Map(result => result.Value);
                var (payload, value) = next.IfLeft(((object)System.Array.Empty<byte>(), 0L));
                var swapped = await Execute(c, null, _sql.CompareAndSwap, new { key = made, value = (byte[])payload, old = row.Value, now }, ct).ConfigureAwait(false);
                if (swapped > 0) return Right<CacheError, long>(value);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async ValueTask ClearCore(CancellationToken cancellationToken)
    {
        await Run(async (c, ct) => await Execute(c, null, _sql.Clear, new { }, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        Counted(0);
    }
}
