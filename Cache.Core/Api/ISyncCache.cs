using LanguageExt;

namespace FunctionalCache;

// RS0026: the state overload of GetOrSet adds a required state parameter before the factory, so a call without state
// can never pick it.
#pragma warning disable RS0026

/// <summary>
/// The synchronous twin of the cheap operations, offered by in-process backends where no I/O is
/// involved (a hit costs no allocation). Same semantics as the matching <see cref="ICache"/> methods.
/// </summary>
public interface ISyncCache : ICache
{
    /// <summary>See <see cref="ICache.GetAsync{T}"/>.</summary>
    OptionUnsafe<T> Get<T>(string key, int? version = null);

    /// <summary>See <see cref="ICache.SetAsync{T}"/>.</summary>
    void Set<T>(string key, T value, CacheTimeout? timeout = null, int? version = null);

    /// <summary>See <see cref="ICache.AddAsync{T}"/>.</summary>
    bool Add<T>(string key, T value, CacheTimeout? timeout = null, int? version = null);

    /// <summary>See <see cref="ICache.DeleteAsync"/>.</summary>
    bool Delete(string key, int? version = null);

    /// <summary>See <see cref="ICache.HasKeyAsync"/>.</summary>
    bool HasKey(string key, int? version = null);

    /// <summary>See <see cref="ICache.IncrementAsync"/>.</summary>
    Either<CacheError, long> Increment(string key, long delta = 1, int? version = null);

    /// <summary>
    /// The live value under <paramref name="key"/>, or else the factory's value, which is added and returned (a
    /// concurrent writer's value wins), on the calling thread: the synchronous twin of
    /// <see cref="ICache.GetOrSetAsync{T}"/>, with its contract. Concurrent callers for one key in one process run the
    /// factory once, whichever twin they call; the others wait for it and get its value, or its exception (then
    /// nothing is stored). A stored null is a hit.
    /// </summary>
    /// <remarks>
    /// Django's <c>get_or_set</c>. A factory must not get-or-set its own key: it would wait for itself. The default
    /// body waits for <see cref="ICache.GetOrSetAsync{T}"/>; an in-process backend answers a hit without a task.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    T GetOrSet<T>(string key, Func<T> factory, CacheTimeout? timeout = null, int? version = null) =>
        GetOrSet(key, Guard.NotNull(factory, nameof(factory)), static run => run(), timeout, version);

    /// <summary>
    /// As <see cref="GetOrSet{T}(string, Func{T}, CacheTimeout?, int?)"/>, with <paramref name="state"/> handed to the
    /// factory, so that a <c>static</c> lambda can do without a closure.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    T GetOrSet<TState, T>(string key, TState state, Func<TState, T> factory, CacheTimeout? timeout = null, int? version = null)
    {
        Guard.NotNull(factory, nameof(factory));
        return GetOrSetAsync(key, _ => Task.FromResult(factory(state)), timeout, version).GetAwaiter().GetResult();
    }

    /// <summary>The view of this cache for values of type <typeparamref name="T"/>, whose calls are not generic (see <see cref="ISyncCache{T}"/>).</summary>
    /// <remarks>Each call makes a new view over the same store: get it once and keep it.</remarks>
    ISyncCache<T> Typed<T>() => new SyncCacheView<T>(this);
}
