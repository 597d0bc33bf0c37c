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

    private ValueTask<Option<object>> Read(CacheKey key, bool lenient, CancellationToken ct) => lenient ? Lenient(() => ReadCore(key, ct), Option<object>.None) : ReadCore(key, ct);

    private ValueTask<bool> Add(CacheKey key, object payload, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? Lenient(() => AddCore(key, payload, expiry, ct), false) : AddCore(key, payload, expiry, ct);

    private ValueTask<bool> Touch(CacheKey key, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? Lenient(() => TouchCore(key, expiry, ct), false) : TouchCore(key, expiry, ct);

    private ValueTask<bool> Remove(CacheKey key, bool lenient, CancellationToken ct) => lenient ? Lenient(() => RemoveCore(key, ct), false) : RemoveCore(key, ct);

    private ValueTask<bool> Contains(CacheKey key, bool lenient, CancellationToken ct) => lenient ? Lenient(() => ContainsCore(key, ct), false) : ContainsCore(key, ct);

    private ValueTask Write(CacheKey key, object payload, Expiry expiry, bool lenient, CancellationToken ct) => lenient ? Lenient(() => WriteCore(key, payload, expiry, ct)) : WriteCore(key, payload, expiry, ct);

    private ValueTask Clear(bool lenient, CancellationToken ct) => lenient ? Lenient(() => ClearCore(ct)) : ClearCore(ct);

    private ValueTask RemoveMany(IReadOnlyList<CacheKey> keys, bool lenient, CancellationToken ct) => lenient ? Lenient(() => RemoveManyCore(keys, ct)) : RemoveManyCore(keys, ct);

    private ValueTask<Option<object>[]> ReadMany(IReadOnlyList<CacheKey> keys, bool lenient, CancellationToken ct) =>
        lenient ? Lenient(() => ReadManyCore(keys, ct), () => new Option<object>[keys.Count]) : ReadManyCore(keys, ct);

    private ValueTask<Seq<CacheKey>> WriteMany(IReadOnlyList<(CacheKey Key, object Payload)> items, Expiry expiry, bool lenient, CancellationToken ct) =>
        lenient ? Lenient(() => WriteManyCore(items, expiry, ct), () => items.Select(i => i.Key).ToSeq().Strict()) : WriteManyCore(items, expiry, ct);

    private ValueTask<Either<CacheError, long>> Increment(CacheKey key, long delta, bool lenient, CancellationToken ct) =>
        lenient ? Lenient(() => IncrementCore(key, delta, ct), e => Left<CacheError, long>(CacheError.Failed(key.Key, e))) : IncrementCore(key, delta, ct);

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
