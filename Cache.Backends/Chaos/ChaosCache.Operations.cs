using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Chaos;

// The plain operations: a failure throws, or, when lenient, is answered as memcached answers it.
public sealed partial class ChaosCache
{
    /// <inheritdoc/>
    public async Task<OptionUnsafe<T>> GetAsync<T>(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Get, cancellationToken).ConfigureAwait(false);
        return entry.Verdict switch
        {
            Verdict.Fail => Answer(entry.Failure!, OptionUnsafe<T>.None),
            Verdict.Corrupt => SomeUnsafe(Corrupted<T>()),
            _ => await _inner.GetAsync<T>(key, version, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc/>
    public async Task<T> GetOrDefaultAsync<T>(string key, T defaultValue, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.GetOrDefault, cancellationToken).ConfigureAwait(false);
        return entry.Verdict switch
        {
            Verdict.Fail => Answer(entry.Failure!, defaultValue),
            Verdict.Corrupt => Corrupted<T>(),
            _ => await _inner.GetOrDefaultAsync(key, defaultValue, version, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc/>
    public async Task SetAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Set, cancellationToken).ConfigureAwait(false);
        if (entry.Verdict == Verdict.Fail) Answer(entry.Failure!, unit);
        else await _inner.SetAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddAsync<T>(string key, T value, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Add, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, false)
            : await _inner.AddAsync(key, value, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, T>> GetManyAsync<T>(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        var list = Guard.NotNull(keys, nameof(keys)).ToList();
        var entry = await EnterAsync(ChaosOperation.GetMany, cancellationToken).ConfigureAwait(false);
        switch (entry.Verdict)
        {
            case Verdict.Fail:
                return Answer<IReadOnlyDictionary<string, T>>(entry.Failure!, new Dictionary<string, T>(StringComparer.Ordinal));
            case Verdict.Corrupt:
                var corrupted = new Dictionary<string, T>(StringComparer.Ordinal);
                foreach (var key in list) corrupted[Guard.NotNull(key, nameof(keys))] = Corrupted<T>();
                return corrupted;
            default:
                return await _inner.GetManyAsync<T>(list, version, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<Seq<string>> SetManyAsync<T>(IEnumerable<KeyValuePair<string, T>> items, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        var list = Guard.NotNull(items, nameof(items)).ToList();
        var entry = await EnterAsync(ChaosOperation.SetMany, cancellationToken).ConfigureAwait(false);
        // A lenient backend that could not write reports every key as refused, as memcached does.
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, list.Select(item => item.Key).ToSeq().Strict())
            : await _inner.SetManyAsync(list, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Delete, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, false)
            : await _inner.DeleteAsync(key, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task DeleteManyAsync(IEnumerable<string> keys, int? version = null, CancellationToken cancellationToken = default)
    {
        var list = Guard.NotNull(keys, nameof(keys)).ToList();
        var entry = await EnterAsync(ChaosOperation.DeleteMany, cancellationToken).ConfigureAwait(false);
        if (entry.Verdict == Verdict.Fail) Answer(entry.Failure!, unit);
        else await _inner.DeleteManyAsync(list, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> HasKeyAsync(string key, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.HasKey, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, false)
            : await _inner.HasKeyAsync(key, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> TouchAsync(string key, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(ChaosOperation.Touch, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, false)
            : await _inner.TouchAsync(key, timeout, version, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> IncrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Counter(ChaosOperation.Increment, key, () => _inner.IncrementAsync(key, delta, version, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, long>> DecrementAsync(string key, long delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Counter(ChaosOperation.Decrement, key, () => _inner.DecrementAsync(key, delta, version, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> IncrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Counter(ChaosOperation.IncrementVersion, key, () => _inner.IncrementVersionAsync(key, delta, version, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<Either<CacheError, int>> DecrementVersionAsync(string key, int delta = 1, int? version = null, CancellationToken cancellationToken = default) =>
        Counter(ChaosOperation.DecrementVersion, key, () => _inner.DecrementVersionAsync(key, delta, version, cancellationToken), cancellationToken);

    // A counter that fails throws, or, when lenient, answers Left(BackendFailure), as a lenient backend's counter does.
    private async Task<Either<CacheError, TValue>> Counter<TValue>(ChaosOperation operation, string key, Func<Task<Either<CacheError, TValue>>> pass, CancellationToken cancellationToken)
    {
        Guard.NotNull(key, nameof(key));
        var entry = await EnterAsync(operation, cancellationToken).ConfigureAwait(false);
        return entry.Verdict == Verdict.Fail
            ? Answer(entry.Failure!, Left<CacheError, TValue>(CacheError.Failed(key, entry.Failure!)))
            : await pass().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A failed call throws, or, when lenient, runs the factory and returns its value without storing it (memcached's
    /// answer when the server is down). A corrupted call decodes <see cref="CorruptBytes"/> without running the factory.
    /// </remarks>
    public async Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(key, nameof(key));
        Guard.NotNull(factory, nameof(factory));
        var entry = await EnterAsync(ChaosOperation.GetOrSet, cancellationToken).ConfigureAwait(false);
        switch (entry.Verdict)
        {
            case Verdict.Fail:
                Answer(entry.Failure!, unit);
                return await factory(cancellationToken).ConfigureAwait(false);
            case Verdict.Corrupt:
                return Corrupted<T>();
            default:
                return await _inner.GetOrSetAsync(key, factory, timeout, version, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        var entry = await EnterAsync(ChaosOperation.Clear, cancellationToken).ConfigureAwait(false);
        if (entry.Verdict == Verdict.Fail) Answer(entry.Failure!, unit);
        else await _inner.ClearAsync(cancellationToken).ConfigureAwait(false);
    }
}
