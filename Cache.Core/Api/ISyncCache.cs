using LanguageExt;

namespace FunctionalCache;

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
}
