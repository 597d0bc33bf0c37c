using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// One thread's recent uses of locmem entries, in order, with the stamps that order them: the LRU recency a hit records
/// without writing anything another core reads. Culls (under a cache's write lock) fold every thread's log into the
/// entries' stamps before they sort.
/// </summary>
/// <remarks>
/// <para>
/// A stamp is a hybrid clock: the coarse wall clock in units of 1/1024 tick, bumped by one past this thread's previous
/// stamp when the clock has not moved. One thread's stamps therefore strictly increase (its uses are ordered exactly, as
/// the culling laws require), and stamps of different threads order as their wall-clock times do, to the clock's
/// millisecond. Neither a read nor a write of an entry touches a shared counter.
/// </para>
/// <para>
/// A hit writes the entry itself only when the entry is not yet marked reused, or when its own stamp is more than
/// <see cref="RefreshPeriod"/> (10 ms) old: at most about a hundred writes a second per hot entry, whatever the hit rate
/// and the core count. Every other hit appends to this thread's ring of <see cref="Capacity"/> uses. A cull applies the
/// rings, so the order is exact for the last <see cref="Capacity"/> uses of each thread and right to 10 ms beyond them.
/// </para>
/// The log of a thread is written only by that thread; a cull reads it while the thread may be writing, and a torn
/// (entry, stamp) pair can only misplace an entry within the ring's window. A ring keeps its entries reachable until it
/// overwrites them, so up to <see cref="Capacity"/> removed entries per thread outlive their removal for a while. Logs
/// of finished threads are dropped when collected.
/// </remarks>
internal sealed class LocMemUseLog
{
    /// <summary>Uses kept per thread: more than any test sequence between two culls, 8 KB a thread.</summary>
    public const int Capacity = 512;

    // Stamps count 1/1024 of a tick from this process's start: no thread issues a billion stamps a second, so a busy
    // thread's stamps do not run ahead of the clock, and 2^63 stamps last 28 years of uptime.
    private const int Shift = 10;

    // How stale an entry's own stamp may grow before a hit refreshes it: the bound on the order error of a use that fell
    // out of its thread's ring, and one write per hot entry per period instead of one per hit.
    private const long RefreshPeriod = (10 * TimeSpan.TicksPerMillisecond) << Shift;

    private static readonly long s_origin = CoarseClock.UtcTicks;
    private static readonly List<WeakReference<LocMemUseLog>> s_logs = [];

    [ThreadStatic]
    private static LocMemUseLog? t_current;

    private const int Padding = 128;

    private readonly Use[] _uses = new Use[Capacity];
    private Cursor _cursor;

    /// <summary>This thread's log, created and registered on its first use.</summary>
    public static LocMemUseLog Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current ?? Register();
    }

    /// <summary>
    /// How many times this thread's hits wrote an entry (marked it reused or refreshed its stamp): the hits that write
    /// memory other cores read. The rest wrote only this thread's log. A count of this thread, for the contention benchmark.
    /// </summary>
    public long EntryWrites => _cursor.EntryWrites;

    /// <summary>The clock's reading in stamp units, the floor of every stamp issued now.</summary>
    private static long Floor => (CoarseClock.UtcTicks - s_origin) << Shift;

    /// <summary>A new stamp, later than every earlier stamp of this thread.</summary>
    public long NextStamp()
    {
        var stamp = Math.Max(_cursor.Last + 1, Floor);
        _cursor.Last = stamp;
        return stamp;
    }

    /// <summary>Records a use of <paramref name="entry"/> (a hit): it becomes reused and the most recent use of this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Used(LocMemEntry entry)
    {
        var floor = Floor;
        var stamp = Math.Max(_cursor.Last + 1, floor);
        _cursor.Last = stamp;
        if (entry.Reused && entry.Stamp >= floor - RefreshPeriod)
        {
            // The steady state: the entry's own stamp is recent enough; the exact order goes to this thread's ring.
            ref var use = ref _uses[_cursor.Next++ & (Capacity - 1)];
            use.Entry = entry;
            use.Stamp = stamp;
            return;
        }
        entry.Reused = true;
        entry.Stamp = stamp;
        _cursor.EntryWrites++;
    }

    /// <summary>Folds every live thread's log into the stamps of the entries it names. Call under a cache's write lock.</summary>
    public static void ApplyAll()
    {
        lock (s_logs)
        {
            for (var i = s_logs.Count - 1; i >= 0; i--)
            {
                if (s_logs[i].TryGetTarget(out var log)) log.Apply();
                else s_logs.RemoveAt(i);
            }
        }
    }

    private void Apply()
    {
        foreach (var use in _uses)
            if (use.Entry is { } entry && entry.Stamp < use.Stamp) entry.Stamp = use.Stamp;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static LocMemUseLog Register()
    {
        var log = new LocMemUseLog();
        lock (s_logs) s_logs.Add(new WeakReference<LocMemUseLog>(log));
        t_current = log;
        return log;
    }

    // What a thread writes on every hit, with 128 bytes of room on either side: two threads' logs allocated,
    // or compacted by a collection, next to each other must not share a line, or every hit of one would take the line
    // from the other (adjacent-line prefetch pairs lines, hence 128 bytes).
    [StructLayout(LayoutKind.Explicit, Size = 2 * Padding + 24)]
    private struct Cursor
    {
        [FieldOffset(Padding)]
        public int Next;

        [FieldOffset(Padding + 8)]
        public long Last;

        [FieldOffset(Padding + 16)]
        public long EntryWrites;
    }

    private struct Use
    {
        public LocMemEntry? Entry;
        public long Stamp;
    }
}
