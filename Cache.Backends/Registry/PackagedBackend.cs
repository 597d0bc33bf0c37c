namespace FunctionalCache.Backends;

/// <summary>
/// A scheme whose backend ships in a package of its own (so that a locmem-only application carries no database or
/// network driver): the registry finds its registration by name once the package is referenced.
/// </summary>
/// <param name="Scheme">The URI scheme.</param>
/// <param name="Package">The package (and assembly) that holds the backend.</param>
/// <param name="TypeName">The full name of the static class whose <c>Registration</c> property registers the scheme.</param>
internal sealed record PackagedBackend(string Scheme, string Package, string TypeName)
{
    /// <summary>The assembly-qualified name of <see cref="TypeName"/>.</summary>
    public string AssemblyQualifiedName => $"{TypeName}, {Package}";

    /// <summary>The one-line error for a URI that names this scheme while the package is not referenced.</summary>
    public string MissingMessage =>
        $"The '{Scheme}' backend is in the package {Package}: add it to the project (dotnet add package {Package}), " +
        $"or register {TypeName}.Registration with CacheRegistry.With.";
}
