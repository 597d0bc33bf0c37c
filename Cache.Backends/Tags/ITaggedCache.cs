using LanguageExt;

namespace FunctionalCache.Backends.Tags;

/// <summary>
/// A cache whose entries may carry tags, and which evicts every entry of a tag at once (lazily: an entry written before
/// its tag's eviction reads as a miss from the moment <see cref="RemoveByTagAsync"/> returns).
/// </summary>
/// <remarks>Django has no tags; this is HybridCache's and FusionCache's <c>RemoveByTag</c>. See docs/tags.md.</remarks>
// RS0026: the tagged overloads add a required tags parameter to ICache's own, so a call without tags can never pick them.
#pragma warning disable RS0026
public interface ITaggedCache : ICache
{
    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, tagged with every tag in <paramref name="tags"/>, replacing any entry.</summary>
    /// <exception cref="ArgumentException">A tag is empty or holds whitespace or a control character.</exception>
    Task SetAsync<T>(string key, T value, IEnumerable<string> tags, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>The live value under <paramref name="key"/>, or else the factory's value, stored with <paramref name="tags"/> and returned (see <see cref="ICache.GetOrSetAsync{T}"/>).</summary>
    /// <exception cref="ArgumentException">A tag is empty or holds whitespace or a control character.</exception>
    Task<T> GetOrSetAsync<T>(string key, Func<CancellationToken, Task<T>> factory, IEnumerable<string> tags, CacheTimeout? timeout = null, int? version = null, CancellationToken cancellationToken = default);

    /// <summary>Evicts every entry tagged <paramref name="tag"/>: when this returns, none of them reads as a hit.</summary>
    /// <exception cref="CacheBackendException">The backend could not record the eviction (never reported as done when it was not).</exception>
    /// <exception cref="ArgumentException">The tag is empty or holds whitespace or a control character.</exception>
    Task RemoveByTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="RemoveByTagAsync"/>, but <c>Right(unit)</c> only when the eviction was recorded; a backend failure is <c>Left(BackendFailure)</c>.</summary>
    Task<Either<CacheError, Unit>> TryRemoveByTagAsync(string tag, CancellationToken cancellationToken = default);
}
