namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// A small mutable object of the shape applications cache: what the copy store's copying is for, so its hit still
/// decodes the stored JSON (a string or any other immutable value is held as it is).
/// </summary>
public sealed class Profile
{
    public string Name { get; set; } = "";

    public int Id { get; set; }

    /// <summary>The one profile every key of the record row holds.</summary>
    public static Profile Sample() => new() { Name = "Ada Lovelace", Id = 1815 };
}
