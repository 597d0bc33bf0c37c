namespace FunctionalCache.Backends.FailSafe;

/// <summary>
/// The stale copy a <see cref="FailSafeCache"/> keeps beside a value: the value, when it was written and when it expires
/// logically. The copy itself lives until <see cref="LogicalExpiry"/> plus the fail-safe window.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The last good value.</param>
/// <param name="Written">When it was written.</param>
/// <param name="LogicalExpiry">When the value itself expires; null: never.</param>
public sealed record StaleValue<T>(T Value, DateTimeOffset Written, DateTimeOffset? LogicalExpiry)
{
    /// <summary>True when the value has expired logically at <paramref name="now"/>: only fail-safe may serve it.</summary>
    public bool IsStaleAt(DateTimeOffset now) => LogicalExpiry is { } expiry && now >= expiry;

    /// <summary>True when <paramref name="now"/> is past <paramref name="threshold"/> of the value's duration (never for a value that never expires).</summary>
    public bool IsDueForRefreshAt(DateTimeOffset now, double threshold) =>
        LogicalExpiry is { } expiry && now >= Written + (expiry - Written) * threshold;
}
