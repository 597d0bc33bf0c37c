using System.Diagnostics.CodeAnalysis;
using LanguageExt;

namespace FunctionalCache;

// RS0026: the state overload of GetOrSet adds a required state parameter before the factory, so a call without state
// can never pick it.
#pragma warning disable RS0026

/// <summary>
/// A view of an <see cref="ISyncCache"/> for values of one type: the same store, keys, versions, key warnings and
/// semantics as the untyped calls (a stored null is a hit; a copying store still copies), through methods that are
/// not generic, so a call through this interface is an ordinary interface call. Get one with
/// <see cref="ISyncCache.Typed{T}"/> and keep it: it holds no state of its own.
/// </summary>
/// <typeparam name="T">The type values are written and read as.</typeparam>
/// <remarks>
/// <c>ISyncCache.Get&lt;T&gt;</c> is a generic interface method, which .NET dispatches through a runtime lookup on
/// every call (5–6 ns, docs/benchmarks.md). Django has no counterpart: its cache API is untyped. Thread-safe.
/// </remarks>
public interface ISyncCache<T>
{
    /// <summary>The cache this views, for the operations that do not depend on the value's type (delete, has-key, increment).</summary>
    ISyncCache Cache { get; }

    /// <summary>The live value under <paramref name="key"/>, or None. See <see cref="ICache.GetAsync{T}"/>.</summary>
    OptionUnsafe<T> Get(string key, int? version = null);

    /// <summary>True and the live value under <paramref name="key"/>, or false on a miss (a C# convenience over <see cref="Get"/>).</summary>
    bool TryGet(string key, [MaybeNullWhen(false)] out T value, int? version = null);

    /// <summary>Stores <paramref name="value"/>, replacing any entry. See <see cref="ICache.SetAsync{T}"/>.</summary>
    void Set(string key, T value, CacheTimeout? timeout = null, int? version = null);

    /// <summary>Stores <paramref name="value"/> only if the key is absent or expired. See <see cref="ICache.AddAsync{T}"/>.</summary>
    bool Add(string key, T value, CacheTimeout? timeout = null, int? version = null);

    /// <summary>
    /// The live value under <paramref name="key"/>, or else the factory's value, added and returned.
    /// See <see cref="ISyncCache.GetOrSet{T}(string, Func{T}, CacheTimeout?, int?)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    T GetOrSet(string key, Func<T> factory, CacheTimeout? timeout = null, int? version = null);

    /// <summary>
    /// As <see cref="GetOrSet(string, Func{T}, CacheTimeout?, int?)"/>, with <paramref name="state"/> handed to the
    /// factory, so that a <c>static</c> lambda can do without a closure.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    T GetOrSet<TState>(string key, TState state, Func<TState, T> factory, CacheTimeout? timeout = null, int? version = null);
}
