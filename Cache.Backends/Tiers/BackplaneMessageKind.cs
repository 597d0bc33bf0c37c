namespace FunctionalCache.Backends.Tiers;

/// <summary>What a <see cref="BackplaneMessage"/> invalidates on the other nodes.</summary>
public enum BackplaneMessageKind
{
    /// <summary>One key (at one version) was written, deleted, touched or counted: drop it from every other L1.</summary>
    KeyChanged = 0,

    /// <summary>The shared cache was cleared: empty every other L1.</summary>
    Cleared = 1,

    /// <summary>Every entry carrying a tag was evicted: drop them from every other L1.</summary>
    TagEvicted = 2,
}
