using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Dummy;

/// <summary>
/// The cache that stores nothing (<c>dummy:///</c>): every read misses, <c>Add</c> reports success,
/// counters and versions report the key missing. Keys are still checked, so key warnings show up in
/// development exactly as with a real backend.
/// </summary>
/// <remarks>Django's <c>DummyCache</c>. Stateless and thread-safe.</remarks>
public sealed class DummyCache : CacheBase
{
    /// <inheritdoc/>
    public override string BackendName => "dummy";

    /// <summary>Creates the cache.</summary>
    public DummyCache(CachePolicy policy, CacheContext context) : base(policy, context, KeyCheck.Warn) { }

    /// <summary>Creates the cache with Django's default policy.</summary>
    public DummyCache() : this(CachePolicy.Default, CacheContext.Default) { }

    /// <inheritdoc/>
    protected override ValueTask<Option<object>> ReadCore(CacheKey key, CancellationToken cancellationToken) => ValueTask.FromResult(Option<object>.None);

    /// <inheritdoc/>
    protected override ValueTask WriteCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    protected override ValueTask<bool> AddCore(CacheKey key, object payload, Expiry expiry, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <inheritdoc/>
    protected override ValueTask<bool> TouchCore(CacheKey key, Expiry expiry, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <inheritdoc/>
    protected override ValueTask<bool> RemoveCore(CacheKey key, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <inheritdoc/>
    protected override ValueTask<bool> ContainsCore(CacheKey key, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <inheritdoc/>
    protected override ValueTask<Either<CacheError, long>> IncrementCore(CacheKey key, long delta, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Left<CacheError, long>(new CacheError.KeyNotFound(key.Key)));

    /// <inheritdoc/>
    protected override ValueTask ClearCore(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
