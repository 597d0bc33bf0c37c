using System.Reflection;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// The backplanes configuration can name (<c>"backplane": "redis"</c>): each is built over the tier's L2, from the
/// package that holds it, which is loaded only when named.
/// </summary>
public static class Backplanes
{
    /// <summary>The names configuration accepts: <c>none</c>, <c>redis</c>, <c>postgres</c>.</summary>
    public static Seq<string> Names { get; } = Seq("none", "redis", "postgres");

    /// <summary>The backplane <paramref name="name"/> over <paramref name="l2"/>; None for <c>none</c>.</summary>
    /// <exception cref="ArgumentException">The name is unknown, the L2 is not the kind of cache the backplane needs, or its package is missing.</exception>
    public static Option<IBackplane> Create(string name, ICache l2, ILogger logger)
    {
        Guard.NotNull(name, nameof(name));
        Guard.NotNull(l2, nameof(l2));
        Guard.NotNull(logger, nameof(logger));
        switch (name.ToLowerInvariant())
        {
            case "none":
                return None;
            case "redis":
                Guard.That(l2.GetType().FullName == "FunctionalCache.Backends.Redis.RedisCache", nameof(l2), $"The redis backplane needs a redis:// or rediss:// cache, not {l2.GetType().Name}.");
                return Some((IBackplane)Activator.CreateInstance(Find("FunctionalCache.Backends.Redis.RedisBackplane, FunctionalCache.Backends.Redis"), l2, logger)!);
            case "postgres":
                Guard.That(l2.GetType().FullName == "FunctionalCache.Backends.Database.DatabaseCache", nameof(l2), $"The postgres backplane needs a db:// cache on PostgreSQL, not {l2.GetType().Name}.");
                var factory = Find("FunctionalCache.Backends.Database.PostgresBackplane, FunctionalCache.Backends.Database").GetMethod("For", BindingFlags.Public | BindingFlags.Static)!;
                try
                {
                    return Some((IBackplane)factory.Invoke(null, [l2, logger])!);
                }
                catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
                {
                    throw new ArgumentException(inner.Message, nameof(l2), inner);
                }
            default:
                throw new ArgumentException($"Backplane '{name}' is not one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    private static Type Find(string assemblyQualifiedName) =>
        Type.GetType(assemblyQualifiedName, throwOnError: false) ?? throw new ArgumentException(
            $"The backplane's package is not installed: {assemblyQualifiedName.Split(", ")[1]}.");
}
