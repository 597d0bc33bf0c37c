namespace FunctionalCache.Http.Fragments;

/// <summary>
/// Template fragment caching for any engine: render a piece of a page once, keep its text under
/// <see cref="FragmentKeys.MakeTemplateFragmentKey"/>, and serve the stored text until it expires.
/// </summary>
/// <remarks>
/// Django's <c>{% cache %}</c> tag without the template: the Fluid tag (<c>FragmentCacheParser</c>, in FunctionalCache.Http.Fluid) is built on it.
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
    /// <remarks>Equivalent of Django's <c>{% cache timeout name vary… %}</c> node render; the key frames each value with its length.</remarks>
    public static Task<string> GetOrRenderAsync(
        ICache cache,
        string fragmentName,
        IEnumerable<string> varyOn,
        CacheTimeout timeout,
        Func<CancellationToken, Task<string>> render,
        CancellationToken cancellationToken = default)
    {
        Guard.NotNull(cache, nameof(cache));
        Guard.NotNull(timeout, nameof(timeout));
        Guard.NotNull(render, nameof(render));
        var key = FragmentKeys.MakeTemplateFragmentKey(fragmentName, varyOn);
        return cache.GetOrSetAsync(key, render, timeout, cancellationToken: cancellationToken);
    }
}
