namespace FunctionalCache.Http;

/// <summary>How the page cache treats a request with a query string.</summary>
public enum QueryStringRule
{
    /// <summary>Cache every URL; the query string is part of the key, so <c>?page=1</c> and <c>?page=2</c> are cached apart (Django 1.3 and later).</summary>
    PartOfKey = 0,

    /// <summary>
    /// The seed's rule: "the cache middleware caches every page that doesn't have GET or POST parameters" — a request
    /// with a non-empty query string is neither looked up nor stored (Django 1.0 and 1.1).
    /// </summary>
    NotCached = 1,
}
