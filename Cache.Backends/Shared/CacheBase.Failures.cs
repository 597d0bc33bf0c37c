using FunctionalCache.Backends.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

// How a backend failure reaches the caller. A primitive signals it by throwing CacheBackendException. The Try…
// operations turn it into Left(BackendFailure) on every backend. The plain operations either let it through (the
// default, Django's db and file backends) or, when FailuresAreMisses (memcached, as Django's memcached backends do),
// answer it as a miss, false, a refused key or a dropped write: logged, raised as FailureAnswered, never thrown. A
// refusal (CacheBackendException.IsRefusal: a value over memcached's size limit) is thrown on every backend.
// The choice is made once, at the primitive boundary, so every derived operation (get-or-set, versions, many-key
// operations) follows it without a catch of its own.
public abstract partial class CacheBase : ICacheFailureSource
{
    /// <inheritdoc/>
    /// <value>False: a failure throws <see cref="CacheBackendException"/>. A backend sets it in its constructor.</value>
    public bool FailuresAreMisses { get; protected init; }

    /// <inheritdoc/>
    public event Action<CacheBackendException>? FailureAnswered;

    /// <summary>Logs a failure the cache answers leniently and raises <see cref="FailureAnswered"/>.</summary>
    protected void ReportFailure(CacheBackendException failure)
    {
        Guard.NotNull(failure, nameof(failure));
        Context.Logger.LogWarning(failure, "Cache backend {Backend} failed; answered as a miss: {Failure}", BackendName, failure.Message);
        FailureAnswered?.Invoke(failure);
    }

    // ---- the primitives as the operations call them: lenient for the plain operations of a lenient backend ----

    // Each lenient path is a method of its own: a lambda's captures would otherwise be allocated on every call,
    // strict ones included (the compiler allocates a closure where the captured parameters come into scope).
    private ValueTask<Option<object>> Read(CacheKey key, bool lenient, CancellationToken ct) => lenient ? ReadLeniently(key, ct) : ReadCore(key, ct);

    private ValueTask<Option<object>> ReadLeniently(CacheKey key, CancellationToken ct) => Lenient(() => ReadCore(key, ct), Option<object>.None);

    private ValueTask<bool> Add(CacheKey key, object payload, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? AddLeniently(key, payload, expiry, ct) : AddCore(key, payload, expiry, ct);

    private ValueTask<bool> AddLeniently(CacheKey key, object payload, Expiry expiry, CancellationToken ct) => Lenient(() => AddCore(key, payload, expiry, ct), false);

    private ValueTask<bool> Touch(CacheKey key, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? TouchLeniently(key, expiry, ct) : TouchCore(key, expiry, ct);

    private ValueTask<bool> TouchLeniently(CacheKey key, Expiry expiry, CancellationToken ct) => Lenient(() => TouchCore(key, expiry, ct), false);

    private ValueTask<bool> Remove(CacheKey key, bool lenient, CancellationToken ct) => lenient ? RemoveLeniently(key, ct) : RemoveCore(key, ct);

    private ValueTask<bool> RemoveLeniently(CacheKey key, CancellationToken ct) => Lenient(() => RemoveCore(key, ct), false);

    private ValueTask<bool> Contains(CacheKey key, bool lenient, CancellationToken ct) => lenient ? ContainsLeniently(key, ct) : ContainsCore(key, ct);

    private ValueTask<bool> ContainsLeniently(CacheKey key, CancellationToken ct) => Lenient(() => ContainsCore(key, ct), false);

    private ValueTask Write(CacheKey key, object payload, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? WriteLeniently(key, payload, expiry, ct) : WriteCore(key, payload, expiry, ct);

    private ValueTask WriteLeniently(CacheKey key, object payload, Expiry expiry, CancellationToken ct) => Lenient(() => WriteCore(key, payload, expiry, ct));

    private ValueTask RemoveMany(IReadOnlyList<CacheKey> keys, bool lenient, CancellationToken ct) => lenient ? RemoveManyLeniently(keys, ct) : RemoveManyCore(keys, ct);

    private ValueTask RemoveManyLeniently(IReadOnlyList<CacheKey> keys, CancellationToken ct) => Lenient(() => RemoveManyCore(keys, ct));

    private ValueTask<Option<object>[]> ReadMany(IReadOnlyList<CacheKey> keys, bool lenient, CancellationToken ct) => lenient ? ReadManyLeniently(keys, ct) : ReadManyCore(keys, ct);

    private ValueTask<Option<object>[]> ReadManyLeniently(IReadOnlyList<CacheKey> keys, CancellationToken ct) => Lenient(() => ReadManyCore(keys, ct), () => new Option<object>[keys.Count]);

    private ValueTask<Seq<CacheKey>> WriteMany(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? WriteManyLeniently(items, expiry, ct) : WriteManyCore(items, expiry, ct);

    private ValueTask<Seq<CacheKey>> WriteManyLeniently(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, CancellationToken ct) => Lenient(() => WriteManyCore(items, expiry, ct), () => items.Select(i => i.Key).ToSeq().Strict());

    private ValueTask<Either<CacheError, long>> Increment(CacheKey key, long delta, bool lenient, CancellationToken ct) => lenient ? IncrementLeniently(key, delta, ct) : IncrementCore(key, delta, ct);

    private ValueTask<Either<CacheError, long>> IncrementLeniently(CacheKey key, long delta, CancellationToken ct) => Lenient(() => IncrementCore(key, delta, ct), e => Left<CacheError, long>(CacheError.Failed(key.Key, e)));

    private ValueTask Clear(bool lenient, CancellationToken ct) => lenient ? ClearLeniently(ct) : ClearCore(ct);

    private ValueTask ClearLeniently(CancellationToken ct) => Lenient(() => ClearCore(ct));

    // The operation is a function so that a primitive that throws before its first await is answered too.
    private async ValueTask<T> Lenient<T>(Func<ValueTask<T>> operation, T onFailure)
    {
        try { return await operation().ConfigureAwait(false); }
        catch (CacheBackendException e) when (!e.IsRefusal) { ReportFailure(e); return onFailure; }
    }

    private async ValueTask<T> Lenient<T>(Func<ValueTask<T>> operation, Func<T> onFailure)
    {
        try { return await operation().ConfigureAwait(false); }
        catch (CacheBackendException e) when (!e.IsRefusal) { ReportFailure(e); return onFailure(); }
    }

    private async ValueTask<T> Lenient<T>(Func<ValueTask<T>> operation, Func<CacheBackendException, T> onFailure)
    {
        try { return await operation().ConfigureAwait(false); }
        catch (CacheBackendException e) when (!e.IsRefusal) { ReportFailure(e); return onFailure(e); }
    }

    private async ValueTask Lenient(Func<ValueTask> operation)
    {
        try { await operation().ConfigureAwait(false); }
        catch (CacheBackendException e) when (!e.IsRefusal) { ReportFailure(e); }
    }
}
