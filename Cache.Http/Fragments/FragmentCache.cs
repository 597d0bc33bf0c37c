using LanguageExt;

namespace FunctionalCache.Http.Fragments;

/// <summary>
/// Template fragment caching for any engine: render a piece of a page once, keep its text under
/// <see cref="FragmentKeys.MakeTemplateFragmentKey"/>, and serve the stored text until it expires.
/// </summary>
/// <remarks>
/// Django's <c>{% cache %}</c> tag without the template: the Fluid tag (<c>FragmentCacheParser</c>, in FunctionalCache.Http.Fluid) is built on it.
/// A cache that fails (<see cref="CacheBackendException"/>, or a <see cref="CacheSerializationException"/> for an entry
/// that is no text) never fails the page: the fragment is rendered and served uncached, as the page cache serves a miss.
/// Reads and writes go through <see cref="ICache.TryGetAsync{T}"/> and <see cref="ICache.TrySetAsync{T}"/>, so a backend
/// that answers failures leniently (memcached) still has them reported.
/// Thread-safe: concurrent callers for one key of one cache in one process render once (a single flight, as
/// <see cref="ICache.GetOrSetAsync{T}"/> gives).
/// </remarks>
public static class FragmentCache
{
    /// <summary>
    /// The stored text of the fragment <paramref name="fragmentName"/> for the values <paramref name="varyOn"/>, or,
    /// on a miss, the result of <paramref name="render"/>, stored for <paramref name="timeout"/>.
    /// </summary>
    /// <param name="cache">Where fragments are kept.</param>
    /// <param name="fragmentName">The fragment's name, kept verbatim in the key (<c>"sidebar"</c>).</param>
    /// <param name="varyOn">The values the fragment varies on, as text, in order (<c>[user.Name]</c>); empty for none.</param>
    /// <param name="timeout">How long the text is kept; zero or negative renders every time and stores nothing.</param>
    /// <param name="render">Renders the fragment on a miss.</param>
    /// <param name="cancellationToken">Passed to the cache and to <paramref name="render"/>.</param>
    /// <returns>The fragment's text.</returns>
    /// <exception cref="ArgumentNullException">An argument or one of the values is null.</exception>
    /// <remarks>
    /// Equivalent of Django's <c>{% cache timeout name vary… %}</c> node render; the key frames each value with its length.
    /// A cache failure renders the fragment uncached and is reported only where the cache reports it (an instrumented
    /// cache logs and counts it); call <see cref="GetOrRenderReportingAsync"/> to hear of it here.
    /// </remarks>
    public static Task<string> GetOrRenderAsync(
        ICache cache,
        string fragmentName,
        IEnumerable<string> varyOn,
        CacheTimeout timeout,
        Func<CancellationToken, Task<string>> render,
        CancellationToken cancellationToken = default) =>
        GetOrRenderReportingAsync(cache, fragmentName, varyOn, timeout, render, static _ => { }, cancellationToken);

    /// <summary>
    /// As <see cref="GetOrRenderAsync(ICache, string, IEnumerable{string}, CacheTimeout, Func{CancellationToken, Task{string}}, CancellationToken)"/>,
    /// calling <paramref name="onCacheFailure"/> with the cache's exception when the cache cannot be read or written;
    /// the fragment is then rendered and served uncached.
    /// </summary>
    /// <param name="cache">Where fragments are kept.</param>
    /// <param name="fragmentName">The fragment's name, kept verbatim in the key (<c>"sidebar"</c>).</param>
    /// <param name="varyOn">The values the fragment varies on, as text, in order; empty for none.</param>
    /// <param name="timeout">How long the text is kept; zero or negative renders every time and stores nothing.</param>
    /// <param name="render">Renders the fragment on a miss, or when the cache cannot be read.</param>
    /// <param name="onCacheFailure">Told of each failure (a <see cref="CacheBackendException"/> or <see cref="CacheSerializationException"/>): log and count it there.</param>
    /// <param name="cancellationToken">Passed to the cache and to <paramref name="render"/>.</param>
    /// <returns>The fragment's text.</returns>
    /// <exception cref="ArgumentNullException">An argument or one of the values is null.</exception>
    public static async Task<string> GetOrRenderReportingAsync(
        ICache cache,
        string fragmentName,
        IEnumerable<string> varyOn,
        CacheTimeout timeout,
        Func<CancellationToken, Task<string>> render,
        Action<Exception> onCacheFailure,
        CancellationToken cancellationToken = default)
    {
        Guard.NotNull(cache, nameof(cache));
        Guard.NotNull(timeout, nameof(timeout));
        Guard.NotNull(render, nameof(render));
        Guard.NotNull(onCacheFailure, nameof(onCacheFailure));
        var key = FragmentKeys.MakeTemplateFragmentKey(fragmentName, varyOn);
        try
        {
            var read = await cache.TryGetAsync<string>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (read.IsLeft)
            {
                // The backend is failing: render without trying to store, and say so once.
                read.IfLeft(error => onCacheFailure(CauseOf(error)));
                return await render(cancellationToken).ConfigureAwait(false);
            }
            // A stored null under a fragment key is someone else's write: read as a miss and replaced.
            var found = read.IfLeft(OptionUnsafe<string>.None);
            if (found.IsSome && found.IfNoneUnsafe("") is { } stored) return stored;
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            // Something else is stored under the key (or a cache that throws despite Try…): render, and the store
            // below replaces it.
            onCacheFailure(e);
        }

        // Django's tag: get, render, set. The set goes through TrySetAsync so that a backend that answers failures
        // leniently (memcached) still has its dropped write reported.
        return await RenderFlights.RunOnceAsync(cache, key, async token =>
        {
            var text = await render(token).ConfigureAwait(false);
            try
            {
                var written = await cache.TrySetAsync(key, text, timeout, cancellationToken: token).ConfigureAwait(false);
                written.IfLeft(error => onCacheFailure(CauseOf(error)));
            }
            catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
            {
                // A refusal (a value over the backend's size limit) or text the serializer will not store.
                onCacheFailure(e);
            }
            return text;
        }, cancellationToken).ConfigureAwait(false);
    }

    // The Try operations fail only with BackendFailure; any other error is wrapped so that it is reported all the same.
    private static Exception CauseOf(CacheError error) =>
        error is CacheError.BackendFailure failure ? failure.Cause : new CacheBackendException(error.Message);
}
