using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.File;

public sealed partial class FileBasedCache
{
    /// <inheritdoc/>
    protected override ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken)
    {
        var live = TryReadLive(SlotOf(key), out var entry, out var file);
        return ValueTask.FromResult(live ? Some(entry.Payload(file)) : None);
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryReadLive(SlotOf(key), out _, out _));

    /// <inheritdoc/>
    protected override ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var slot = SlotOf(key);
        Store(slot, FileEntry.Encode(slot.Key, payload, expiry));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Under the key's lock: a live entry wins, otherwise the new one is written (create-new semantics across processes).</remarks>
    protected override async ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken)
    {
        var slot = SlotOf(key);
        using var held = await _locks.Acquire(slot.Stripe, cancellationToken).ConfigureAwait(false);
        if (TryReadLive(slot, out _, out _)) return false;
        Store(slot, FileEntry.Encode(slot.Key, payload, expiry));
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>Under the key's lock: the file is rewritten (through a temporary file) with the new expiry.</remarks>
    protected override async ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken)
    {
        var slot = SlotOf(key);
        using var held = await _locks.Acquire(slot.Stripe, cancellationToken).ConfigureAwait(false);
        if (!TryReadLive(slot, out var entry, out var file)) return false;
        Publish(slot, entry.WithExpiry(file, expiry));
        return true;
    }

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken)
    {
        var slot = SlotOf(key);
        var tomb = Claim(slot);
        if (tomb is null) return ValueTask.FromResult(false);
        Forgot();
        var live = TryReadFile(tomb, out var file) && FileEntry.TryRead(file, out var entry) && entry.IsFor(file, slot.Key) && !entry.Expiry.IsExpiredAt(Now);
        Delete(tomb);
        return ValueTask.FromResult(live);
    }

    /// <inheritdoc/>
    /// <remarks>Under the key's lock, across processes; the expiry is kept.</remarks>
    protected override async ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken)
    {
        var slot = SlotOf(key);
        using var held = await _locks.Acquire(slot.Stripe, cancellationToken).ConfigureAwait(false);
        if (!TryReadLive(slot, out var entry, out var file)) return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
        if (entry.IsNull) return Left<CacheError, long>(new CacheError.NotAnInteger(key.Key));
        return PayloadArithmetic.Add(key.Key, entry.Payload(file), delta).Map(sum =>
        {
            Store(slot, FileEntry.Encode(slot.Key, sum.Payload, entry.Expiry));
            return sum.Value;
        });
    }

    /// <inheritdoc/>
    /// <remarks>Removes only this backend's files: entry names with a valid header, and orphan temporary files. The directory, lock files and foreign files stay.</remarks>
    protected override ValueTask ClearCore(CancellationToken cancellationToken)
    {
        lock (_cullGate)
        {
            foreach (var path in Listing())
            {
                var name = Path.GetFileName(path.AsSpan());
                if (FileSlot.IsEntryName(name))
                {
                    var start = ReadStart(path, 7);
                    if (start is not null && FileEntry.IsOurs(start)) Delete(path);
                }
                else if (FileSlot.IsTempName(name) && IsStale(path)) Delete(path);
            }
            // The next write lists the directory again: other processes may have written meanwhile.
            _counted = false;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// True with the whole file (see <see cref="TryReadFile"/> for how long it stays valid) and its header when
    /// <paramref name="slot"/> holds a live entry. A corrupt, truncated, foreign or expired file is removed on the
    /// way; a file written for another key (a digest collision) is left alone.
    /// </summary>
    private bool TryReadLive(FileSlot slot, out FileEntry entry, out ReadOnlySpan<byte> file)
    {
        entry = default;
        if (!TryReadFile(slot.Path, out file)) return false;
        if (!FileEntry.TryRead(file, out entry))
        {
            Discard(slot.Path);
            return false;
        }
        if (!entry.IsFor(file, slot.Key)) return false;
        if (entry.Expiry.IsExpiredAt(NowTicks))
        {
            Discard(slot.Path);
            return false;
        }
        return true;
    }

    /// <summary>Writes an entry file; a new key makes room first and is counted.</summary>
    private void Store(FileSlot slot, byte[] content)
    {
        if (Exists(slot.Path))
        {
            Publish(slot, content);
            return;
        }
        // A new entry is counted before its file is written, so that this instance's writers cannot together take
        // the last place; the count reaching MaxEntries sends the writer to cull first.
        while (true)
        {
            _room.EnterReadLock();
            try
            {
                if (TryReserve())
                {
                    try
                    {
                        Publish(slot, content);
                    }
                    catch
                    {
                        Forgot();
                        throw;
                    }
                    return;
                }
            }
            finally
            {
                _room.ExitReadLock();
            }
            MakeRoom();
        }
    }

    /// <summary>Removes a dead entry file.</summary>
    private void Discard(string path)
    {
        Delete(path);
        Forgot();
    }

    /// <summary>One entry file fewer (never below zero: the count is approximate).</summary>
    private void Forgot()
    {
        int seen, next;
        do
        {
            seen = Volatile.Read(ref _count);
            next = Math.Max(0, seen - 1);
        }
        while (Interlocked.CompareExchange(ref _count, next, seen) != seen);
    }
}
