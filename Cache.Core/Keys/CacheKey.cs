namespace FunctionalCache;

/// <summary>A caller's key at one version: what every backend primitive is addressed by.</summary>
/// <param name="Key">The caller's key, before the prefix and version are applied.</param>
/// <param name="Version">The version (Django's <c>version</c> argument, or the policy's <c>VERSION</c>).</param>
public readonly record struct CacheKey(string Key, int Version);
