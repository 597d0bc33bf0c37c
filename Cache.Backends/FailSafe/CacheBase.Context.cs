namespace FunctionalCache.Backends;

// For wrappers (FailSafeCache) that should follow the clock and logger of the backend they wrap when none is given.
public abstract partial class CacheBase
{
    /// <summary>This backend's context (clock, logger, serializer), as wrappers see it.</summary>
    internal CacheContext ContextForWrappers => Context;
}
