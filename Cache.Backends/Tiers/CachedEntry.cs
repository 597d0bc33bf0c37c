namespace FunctionalCache.Backends.Tiers;

/// <summary>A live value and how long it has left, as <see cref="ICacheEntryLifetime.GetEntryAsync{T}"/> read it.</summary>
/// <typeparam name="T">The value's type; a stored null is a value like any other.</typeparam>
/// <param name="Value">The value (null for a stored null).</param>
/// <param name="Remaining"><see cref="CacheTimeout.Never"/> for an entry that never expires, otherwise the span left by the backend's clock.</param>
public sealed record CachedEntry<T>(T Value, CacheTimeout Remaining);
