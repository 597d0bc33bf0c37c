namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// One stored value. The payload and expiry never change (a write replaces the entry); the stamp is
/// the last-use tick that orders entries for LRU culling and is written without a lock on reads.
/// </summary>
internal sealed class LocMemEntry(object payload, Expiry expiry, long stamp)
{
    public object Payload { get; } = payload;

    public Expiry Expiry { get; } = expiry;

    public long Stamp = stamp;
}
