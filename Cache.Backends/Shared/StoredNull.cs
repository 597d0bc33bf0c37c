namespace FunctionalCache.Backends;

/// <summary>
/// The payload of a stored null (or F# unit / None): kept apart from every serialized value so a stored
/// null is a hit, never confused with a miss or with a value whose bytes happen to look alike.
/// </summary>
public sealed class StoredNull
{
    private StoredNull() { }

    /// <summary>The one instance.</summary>
    public static StoredNull Instance { get; } = new();
}
