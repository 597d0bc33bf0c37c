using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>What <see cref="PageCacheKeys.LearnCacheKey"/> works out for a response: where to store the header list, the list, and the page key.</summary>
/// <param name="HeaderKey">The key to store <paramref name="HeaderList"/> under (one per URL).</param>
/// <param name="HeaderList">The request headers the response varies on, in Django's <c>HTTP_NAME</c> form, sorted.</param>
/// <param name="PageKey">The key to store the response under, for the request's own method.</param>
/// <remarks>Storing both entries is the caller's effect (the middleware); learning the key is pure.</remarks>
public sealed record LearnedCacheKey(string HeaderKey, Seq<string> HeaderList, string PageKey);
