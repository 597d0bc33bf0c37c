namespace FunctionalCache.Backends;

/// <summary>
/// The system wall clock, read from a field that one background thread refreshes about every
/// millisecond: reading it costs a memory load instead of a clock call, which on virtual machines
/// costs more than a whole dictionary lookup. The default clock of <see cref="CacheContext.Default"/>.
/// </summary>
/// <remarks>
/// Resolution is about a millisecond (the refresh period); an entry may therefore stay visible up to
/// that long past its deadline, far below the second-resolution timeouts caches use. Writes and reads
/// use the same clock, so the expiry law holds against it exactly. The refresh thread starts on first
/// use, is a background thread (it never keeps a process alive) and costs a wake-up per millisecond.
/// Pass <see cref="TimeProvider.System"/> in a <see cref="CacheContext"/> for a precise clock instead.
/// Thread-safe.
/// </remarks>
public sealed class CoarseClock : TimeProvider
{
    private static long s_utcTicks = DateTime.UtcNow.Ticks;

    private CoarseClock()
    {
        var refresher = new Thread(Refresh) { IsBackground = true, Name = "FunctionalCache coarse clock" };
        refresher.Start();
    }

    /// <summary>The one instance (one refresh thread per process).</summary>
    public static CoarseClock Instance { get; } = new();

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(UtcTicks, TimeSpan.Zero);

    /// <summary>Now in UTC ticks: what <see cref="GetUtcNow"/> reads, without the call.</summary>
    internal static long UtcTicks => Volatile.Read(ref s_utcTicks);

    private static void Refresh()
    {
        while (true)
        {
            Volatile.Write(ref s_utcTicks, DateTime.UtcNow.Ticks);
            Thread.Sleep(1);
        }
    }
}
