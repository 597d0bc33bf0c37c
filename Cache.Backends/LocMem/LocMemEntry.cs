namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// One stored value. The payload and expiry never change (a write replaces the entry); the stamp is
/// the last use that orders entries for LRU culling: a hit writes it only now and then, without a lock, and a
/// cull first folds in the later uses the threads logged (see <see cref="LocMemUseLog"/>).
/// </summary>
/// <param name="payload">What <c>Encode</c> made of the value.</param>
/// <param name="expiry">When the entry stops being visible.</param>
/// <param name="stamp">The stamp of its last use (<see cref="LocMemUseLog.NextStamp"/>).</param>
/// <param name="keyIsValid">
/// Whether the made key kept every <see cref="KeyRules"/> rule when it was written. Under the default key
/// function the made key is a function of (version, key), so a hit reuses this verdict instead of
/// checking the key again.
/// </param>
internal sealed class LocMemEntry(object payload, Expiry expiry, long stamp, bool keyIsValid)
{
    public object Payload { get; } = payload;

    public Expiry Expiry { get; } = expiry;

    public bool KeyIsValid { get; } = keyIsValid;

    public long Stamp = stamp;

    /// <summary>
    /// True once the entry was used after it was written (read, or incremented): culling takes entries that never
    /// were before any that were. Set without a lock on reads; it only ever goes from false to true.
    /// </summary>
    public bool Reused;

    /// <summary>The same value and key with another expiry and stamp (a touch: still as used as before).</summary>
    public LocMemEntry With(Expiry expiry, long stamp) => new(Payload, expiry, stamp, KeyIsValid) { Reused = Reused };

    /// <summary>Another value under the same key, written by a use of it (an increment).</summary>
    public LocMemEntry Incremented(object payload, long stamp) => new(payload, Expiry, stamp, KeyIsValid) { Reused = true };
}
