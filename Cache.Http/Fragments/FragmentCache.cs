namespace FunctionalCache.Http.Fragments;

/// <summary>
/// Template fragment caching for any engine: render a piece of a page once, keep its text under
/// <see cref="FragmentKeys.MakeTemplateFragmentKey"/>, and serve the stored text until it expires.
/// </summary>
/// <remarks>
/// Django's <c>{% cache %}</c> tag without the template: the Fluid tag (<c>FragmentCacheParser</c>, in FunctionalCache.Http.Fluid) is built on it.
/// A cache that fails (<see cref="CacheBackendException"/>, or a <see cref="CacheSerializationException"/> for an entry
/// that is no text) never fails the page: the fragment is rendered and served uncached, as the page cache serves a miss.
/// Thread-safe: stateless; concurrent callers for one key in one process render once (the cache's single-flight
/// <see cref="ICache.GetOrSetAsync{T}"/>).
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
    /// <param name="render">Renders the fragment on a miss (and once more at most, when a failed cache lost its text).</param>
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
        // The text this call rendered, so that a store that fails after the render does not render the fragment twice.
        string? rendered = null;
        try
        {
            return await cache.GetOrSetAsync(key, async token => rendered = await render(token).ConfigureAwait(false), timeout, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is CacheBackendException or CacheSerializationException)
        {
            onCacheFailure(e);
            return rendered ?? await render(cancellationToken).ConfigureAwait(false);
        }
    }
}
