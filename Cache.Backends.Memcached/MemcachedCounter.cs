namespace FunctionalCache.Backends.Memcached;

/// <summary>The outcome of a meta arithmetic request.</summary>
/// <param name="Status">Whether the counter changed.</param>
/// <param name="Value">The new value when <see cref="Status"/> is <see cref="MemcachedCounterStatus.Done"/>, else 0.</param>
internal readonly record struct MemcachedCounter(MemcachedCounterStatus Status, ulong Value);
