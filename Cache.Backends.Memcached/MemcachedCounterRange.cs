namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// Whether memcached's answer to <c>ma</c> is a counter inside <see cref="long"/>'s range that started inside it, and
/// if not, the <c>ma</c> that puts the old value back. Pure.
/// </summary>
/// <remarks>
/// memcached counts unsigned 64-bit: an increment wraps at 2^64, a decrement stops at 0, and a stored 2^63 or
/// 18446744073709551615 is a number to it. Counters here are signed 64-bit on every backend, so a stored value or a
/// result outside <see cref="long"/>'s range is an overflow, and the change is undone. From the result <c>r</c> of
/// a change by <c>d</c> alone: an increment wrapped when <c>r &lt; d</c> (undone by adding 2^64 - d, which wraps
/// back); otherwise it overflowed when <c>r &gt; long.MaxValue</c> (undone by subtracting d). A decrement started
/// above <see cref="long.MaxValue"/> when <c>r + d</c> is (undone by adding d); <c>r = 0</c> says only that the old
/// value was at most d, which decides nothing when d is 2^63, so that delta never comes here.
/// </remarks>
internal static class MemcachedCounterRange
{
    /// <summary>The <c>ma</c> that undoes a change, as its magnitude and direction.</summary>
    public readonly record struct Undo(ulong Delta, bool Decrement);

    /// <summary>
    /// Null when <paramref name="result"/>, memcached's answer to a change by <paramref name="delta"/>, is a counter
    /// in range that was in range before; otherwise the change that restores the old value.
    /// </summary>
    public static Undo? Check(ulong result, ulong delta, bool decrement)
    {
        if (decrement)
            return result > long.MaxValue || (UInt128)result + delta > long.MaxValue ? new Undo(delta, false) : null;
        if (result < delta) return new Undo(unchecked(0UL - delta), false);
        return result > long.MaxValue ? new Undo(delta, true) : null;
    }
}
