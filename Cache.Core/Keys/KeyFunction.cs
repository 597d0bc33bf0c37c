namespace FunctionalCache;

/// <summary>
/// Turns a caller's key, the policy's prefix and a version into the key a backend stores.
/// </summary>
/// <remarks>Django's <c>KEY_FUNCTION(key, key_prefix, version)</c>.</remarks>
public delegate string KeyFunction(string key, string keyPrefix, int version);
