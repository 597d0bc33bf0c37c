namespace FunctionalCache.Backends.Diagnostics;

/// <summary>A backend that can tell when it removes live entries to make room (a cull).</summary>
public interface ICacheEvictionSource
{
    /// <summary>Raised after a cull with the number of entries it removed; handlers must be quick and must not call the cache.</summary>
    event Action<int>? Evicted;
}
