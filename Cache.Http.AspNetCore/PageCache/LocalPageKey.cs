namespace FunctionalCache.Http.AspNetCore;

/// <summary>A key of the local page cache: the page cache handler that looked it up (each has its own tags and cache) and its backend key without stamps.</summary>
internal readonly record struct LocalPageKey(object Owner, string Key);
