namespace FunctionalCache.Backends.File;

public sealed partial class FileBasedCache
{
    /// <summary>An orphan temporary file (a killed writer's) older than this is swept.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>Counts the entry files once, by listing the directory.</summary>
    private void EnsureCounted()
    {
        if (_counted) return;
        _room.EnterWriteLock();
        try
        {
            lock (_cullGate) CountIfNotCounted();
        }
        finally
        {
            _room.ExitWriteLock();
        }
    }

    /// <summary>Lists the directory to count the entry files, unless they are counted; under both locks.</summary>
    private void CountIfNotCounted()
    {
        if (_counted) return;
        var count = 0;
        foreach (var path in Listing())
            if (FileSlot.IsEntryName(Path.GetFileName(path.AsSpan()))) count++;
        Volatile.Write(ref _count, count);
        _counted = true;
    }

    /// <summary>Counts one new entry file in advance if the count is below MaxEntries; false when it is not (or nothing is counted yet).</summary>
    private bool TryReserve()
    {
        if (!_counted) return false;
        int seen;
        do
        {
            seen = Volatile.Read(ref _count);
            if (seen >= Policy.MaxEntries) return false;
        }
        while (Interlocked.CompareExchange(ref _count, seen + 1, seen) != seen);
        return true;
    }

    /// <summary>
    /// When a new key found no room: alone (no new file of this instance half-way), count the entry files if they
    /// are not counted, and if the count has reached MaxEntries list the directory and cull. The listing recounts;
    /// if the directory is in fact not full, only the count is corrected.
    /// </summary>
    private void MakeRoom()
    {
        _room.EnterWriteLock();
        try
        {
            lock (_cullGate)
            {
                CountIfNotCounted();
                if (Volatile.Read(ref _count) >= Policy.MaxEntries) Volatile.Write(ref _count, Cull());
            }
        }
        finally
        {
            _room.ExitWriteLock();
        }
    }

    /// <summary>
    /// Removes <see cref="CachePolicy.CullCount"/> entries of a full directory — expired ones (and corrupt
    /// ones) first, every one of them, then those nearest their deadline, ties in digest order (random with
    /// respect to the keys) — and at least enough to leave room for one more entry. Returns the entries left.
    /// </summary>
    private int Cull()
    {
        var now = Now.UtcTicks;
        var live = new List<(long Deadline, string Path)>();
        var dead = new List<string>();
        foreach (var path in Listing())
        {
            var name = Path.GetFileName(path.AsSpan());
            if (FileSlot.IsTempName(name))
            {
                if (IsStale(path)) Delete(path);
                continue;
            }
            if (!FileSlot.IsEntryName(name)) continue;
            var start = ReadStart(path, FileEntry.HeaderSize);
            if (start is null) continue;
            if (!FileEntry.TryReadHeader(start, out var entry) || entry.Expiry.IsExpiredAt(now)) dead.Add(path);
            else live.Add((entry.Expiry.UtcTicks, path));
        }
        var count = live.Count + dead.Count;
        if (count < Policy.MaxEntries) return count;

        var wanted = Math.Max(Policy.CullCount(count), count - Policy.MaxEntries + 1);
        foreach (var path in dead) Delete(path);
        var removed = dead.Count;
        if (removed < wanted)
        {
            live.Sort((a, b) => a.Deadline != b.Deadline ? a.Deadline.CompareTo(b.Deadline) : string.CompareOrdinal(a.Path, b.Path));
            foreach (var (_, path) in live.Take(wanted - removed)) Delete(path);
            removed = Math.Min(count, wanted);
        }
        return count - removed;
    }

    /// <summary>Every file in the directory (none when it does not exist).</summary>
    /// <exception cref="CacheBackendException">The directory cannot be listed, or the location is not a directory.</exception>
    private List<string> Listing()
    {
        try
        {
            return System.IO.Directory.EnumerateFiles(CacheDirectory).ToList();
        }
        catch (DirectoryNotFoundException e)
        {
            ThrowIfUnreachable(e);
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot list '{CacheDirectory}': {e.Message}", e);
        }
    }

    private static bool IsStale(string path)
    {
        try
        {
            return DateTime.UtcNow - System.IO.File.GetLastWriteTimeUtc(path) > StaleAfter;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
