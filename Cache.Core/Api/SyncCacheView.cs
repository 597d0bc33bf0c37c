using System.Diagnostics.CodeAnalysis;
using LanguageExt;

namespace FunctionalCache;

/// <summary>
/// The typed view any <see cref="ISyncCache"/> gets by default: each call is the untyped call at <typeparamref name="T"/>.
/// A backend with a faster path (locmem) gives its own view instead. Thread-safe as the cache is.
/// </summary>
internal sealed class SyncCacheView<T>(ISyncCache cache) : ISyncCache<T>
{
    public ISyncCache Cache { get; } = Guard.NotNull(cache, nameof(cache));

    public OptionUnsafe<T> Get(string key, int? version = null) => Cache.Get<T>(key, version);

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value, int? version = null)
    {
        var found = Cache.Get<T>(key, version);
        value = found.IfNoneUnsafe(default(T)!);
        return found.IsSome;
    }

    public void Set(string key, T value, CacheTimeout? timeout = null, int? version = null) => Cache.Set(key, value, timeout, version);

    public bool Add(string key, T value, CacheTimeout? timeout = null, int? version = null) => Cache.Add(key, value, timeout, version);

    public T GetOrSet(string key, Func<T> factory, CacheTimeout? timeout = null, int? version = null) =>
        Cache.GetOrSet(key, factory, timeout, version);

    public T GetOrSet<TState>(string key, TState state, Func<TState, T> factory, CacheTimeout? timeout = null, int? version = null) =>
        Cache.GetOrSet(key, state, factory, timeout, version);
}
