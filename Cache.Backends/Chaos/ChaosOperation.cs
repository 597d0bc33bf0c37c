namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// The <see cref="ICache"/> operation a <see cref="ChaosCache"/> call is, as its <see cref="ChaosSchedule"/> sees it.
/// A <c>Try…</c> operation is the same operation as its plain twin (<c>TryGetAsync</c> is <see cref="Get"/>).
/// </summary>
/// <remarks>In a <c>chaos://</c> URI's <c>operations</c> argument each is written as the metrics write it: <c>get</c>,
/// <c>get_or_default</c>, <c>set</c>, <c>add</c>, <c>get_many</c>, <c>set_many</c>, <c>delete</c>, <c>delete_many</c>,
/// <c>has_key</c>, <c>touch</c>, <c>incr</c>, <c>decr</c>, <c>incr_version</c>, <c>decr_version</c>, <c>get_or_set</c>,
/// <c>clear</c>.</remarks>
public enum ChaosOperation
{
    /// <summary><c>GetAsync</c> and <c>TryGetAsync</c>.</summary>
    Get,

    /// <summary><c>GetOrDefaultAsync</c>.</summary>
    GetOrDefault,

    /// <summary><c>SetAsync</c> and <c>TrySetAsync</c>.</summary>
    Set,

    /// <summary><c>AddAsync</c> and <c>TryAddAsync</c>.</summary>
    Add,

    /// <summary><c>GetManyAsync</c>.</summary>
    GetMany,

    /// <summary><c>SetManyAsync</c>.</summary>
    SetMany,

    /// <summary><c>DeleteAsync</c> and <c>TryDeleteAsync</c>.</summary>
    Delete,

    /// <summary><c>DeleteManyAsync</c>.</summary>
    DeleteMany,

    /// <summary><c>HasKeyAsync</c>.</summary>
    HasKey,

    /// <summary><c>TouchAsync</c> and <c>TryTouchAsync</c>.</summary>
    Touch,

    /// <summary><c>IncrementAsync</c>.</summary>
    Increment,

    /// <summary><c>DecrementAsync</c>.</summary>
    Decrement,

    /// <summary><c>IncrementVersionAsync</c>.</summary>
    IncrementVersion,

    /// <summary><c>DecrementVersionAsync</c>.</summary>
    DecrementVersion,

    /// <summary><c>GetOrSetAsync</c>.</summary>
    GetOrSet,

    /// <summary><c>ClearAsync</c> and <c>TryClearAsync</c>.</summary>
    Clear,
}
