namespace FunctionalCache.Backends.LocMem;

/// <summary>How <see cref="LocMemCache"/> holds values.</summary>
public enum LocMemStore
{
    /// <summary>
    /// Serialized copies (Django's isolation): mutating a value after <c>Set</c> or after <c>Get</c> never changes the cache.
    /// A value of an immutable type (a string, a number, a date, a sealed type marked <c>[ImmutableObject(true)]</c>) is
    /// held as it is, since no one can mutate it; with a custom serializer everything is copied. The default; <c>?store=copy</c>.
    /// </summary>
    Copy,

    /// <summary>Object references, for immutable values: no serialization, a hit allocates nothing. <c>?store=reference</c>.</summary>
    Reference,
}
