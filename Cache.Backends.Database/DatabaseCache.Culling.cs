using System.Data.Common;

namespace FunctionalCache.Backends.Database;

public sealed partial class DatabaseCache
{
    // The estimated row count: the last count, plus this instance's inserts, less its deletes.
    private long _estimate;

    // Inserts left before the next real count; at or below zero the next new row counts first.
    private long _insertsUntilCount;

    // This instance's new rows go in one at a time, each after its count and cull: writers that all passed one count
    // (or all skipped it on the estimate) and then inserted together would pass MaxEntries.
    private readonly SemaphoreSlim _insertGate = new(1, 1);

    /// <summary>True when the next new row must be preceded by a real count.</summary>
    private bool CountDue => Interlocked.Read(ref _estimate) >= Policy.MaxEntries || Interlocked.Read(ref _insertsUntilCount) <= 0;

    private void Inserted()
    {
        Interlocked.Increment(ref _estimate);
        Interlocked.Decrement(ref _insertsUntilCount);
    }

    private void Forgot(long rows)
    {
        if (rows > 0) Interlocked.Add(ref _estimate, -rows);
    }

    private void Counted(long rows)
    {
        Interlocked.Exchange(ref _estimate, rows);
        // Recount after half the room left: other processes' inserts are noticed before they can fill it.
        Interlocked.Exchange(ref _insertsUntilCount, Math.Max(1, (Policy.MaxEntries - rows) / 2));
    }

    /// <summary>
    /// Before a new row goes in: when a count is due, count, and if the table is full remove the expired
    /// rows, then (if still full) <see cref="CachePolicy.CullCount"/> rows nearest expiry;
    /// <see cref="CachePolicy.CullFrequency"/> 0 empties the table.
    /// </summary>
    private async ValueTask CullIfDue(PooledConnection c, DbTransaction? transaction, long now, CancellationToken ct)
    {
        if (!CountDue) return;
        var count = await Scalar(c, transaction, _sql.Count, null, ct).ConfigureAwait(false);
        if (count >= Policy.MaxEntries)
        {
            if (Policy.CullFrequency == 0)
            {
                await Execute(c, transaction, _sql.Clear, new { }, ct).ConfigureAwait(false);
                count = 0;
            }
            else
            {
                count -= await Execute(c, transaction, _sql.RemoveExpired, new { now }, ct).ConfigureAwait(false);
                if (count >= Policy.MaxEntries)
                {
                    var victims = Policy.CullCount((int)Math.Min(int.MaxValue, count));
                    count -= await Execute(c, transaction, _sql.RemoveNearestExpiry, new { count = (long)victims }, ct).ConfigureAwait(false);
                }
            }
        }
        Counted(count);
    }
}
