using System.Diagnostics.CodeAnalysis;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

public sealed partial class LocMemCache
{
    /// <inheritdoc/>
    /// <remarks>
    /// The view calls this cache's own read and write paths directly: a hit through it is the hit of
    /// <see cref="Get{T}"/> without the generic interface dispatch.
    /// </remarks>
    public ISyncCache<T> Typed<T>() => new TypedView<T>(this);

    /// <summary>This cache's typed view: each call is the matching sync call of the cache, at <typeparamref name="T"/>.</summary>
    private sealed class TypedView<T>(LocMemCache cache) : ISyncCache<T>
    {
        public ISyncCache Cache => cache;

        public OptionUnsafe<T> Get(string key, int? version = null) =>
            cache.TryRead(key, version, touchStamp: true, out var entry) ? SomeUnsafe(cache.Read<T>(entry.Payload)) : None;

        public bool TryGet(string key, [MaybeNullWhen(false)] out T value, int? version = null)
        {
            if (cache.TryRead(key, version, touchStamp: true, out var entry))
            {
                value = cache.Read<T>(entry.Payload);
                return true;
            }
            value = default;
            return false;
        }

        public void Set(string key, T value, CacheTimeout? timeout = null, int? version = null) => cache.Set(key, value, timeout, version);

        public bool Add(string key, T value, CacheTimeout? timeout = null, int? version = null) => cache.Add(key, value, timeout, version);

        public T GetOrSet(string key, Func<T> factory, CacheTimeout? timeout = null, int? version = null) =>
            cache.GetOrSet(key, factory, timeout, version);

        public T GetOrSet<TState>(string key, TState state, Func<TState, T> factory, CacheTimeout? timeout = null, int? version = null) =>
            cache.GetOrSet(key, state, factory, timeout, version);
    }
}
