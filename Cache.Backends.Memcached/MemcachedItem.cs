namespace FunctionalCache.Backends.Memcached;

/// <summary>An item read from memcached: its value bytes, its client flags and its CAS token.</summary>
/// <param name="Value">The stored bytes.</param>
/// <param name="Flags">The 32-bit client flags stored with the value.</param>
/// <param name="Cas">The compare-and-swap token (0 when not asked for).</param>
/// <param name="Ttl">Seconds left, -1 for an item that never expires (only when asked for).</param>
internal readonly record struct MemcachedItem(byte[] Value, uint Flags, ulong Cas, long Ttl);
