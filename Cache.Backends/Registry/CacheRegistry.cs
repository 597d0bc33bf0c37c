using System.Collections.Immutable;
using System.Reflection;
using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>
/// Scheme → backend factory: builds any cache from a Django <c>CACHE_BACKEND</c> URI. Immutable:
/// <see cref="With"/> returns a registry with one more scheme.
/// </summary>
/// <remarks>
/// A scheme of <see cref="BuiltinBackends.Packaged"/> (<c>db</c>, <c>memcached</c>) is found by name in its package
/// when the application references it; otherwise the URI is an error that names the package to add.
/// Any other unregistered scheme is read as a .NET type name (Django reads it as a module path): a type
/// implementing <see cref="ICache"/> with a public constructor <c>(BackendRequest)</c>, found by
/// <see cref="Type.GetType(string)"/> (so assembly-qualified names work) or among loaded assemblies.
/// Registered and packaged schemes match case-insensitively (RFC 3986 §3.1: <c>FILE:///x</c> is <c>file:///x</c>;
/// Django compares them exactly); a type name, as .NET names are, matches exactly.
/// Thread-safe.
/// </remarks>
public sealed class CacheRegistry
{
    // An immutable BCL dictionary rather than LanguageExt's HashMap, whose first use costs a process over 400 ms.
    private readonly ImmutableDictionary<string, BackendRegistration> _registrations;

    private CacheRegistry(ImmutableDictionary<string, BackendRegistration> registrations) => _registrations = registrations;

    /// <summary>The built-in backends.</summary>
    public static CacheRegistry Builtin { get; } = BuiltinBackends.All.Fold(new CacheRegistry(ImmutableDictionary.Create<string, BackendRegistration>(StringComparer.OrdinalIgnoreCase)), (registry, r) => registry.With(r));

    /// <summary>The known schemes, registered or packaged, sorted.</summary>
    public Seq<string> Schemes =>
        _registrations.Keys.Concat(BuiltinBackends.Packaged.Map(p => p.Scheme)).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(s => s, StringComparer.Ordinal).ToSeq().Strict();

    /// <summary>The registration of <paramref name="scheme"/> (in any case): a registered one, or a packaged one whose package is referenced.</summary>
    public Option<BackendRegistration> Find(string scheme) =>
        (_registrations.TryGetValue(Guard.NotNull(scheme, nameof(scheme)), out var registered) ? Some(registered) : None) || Packaged(scheme).Bind(Load);

    /// <summary>
    /// Why <paramref name="scheme"/> names no backend, or None when it does: a registered scheme, a packaged one whose
    /// package is referenced, or the name of a loaded type that implements <see cref="ICache"/> with a constructor
    /// taking a <see cref="BackendRequest"/>.
    /// </summary>
    public Option<UriProblem> UnknownScheme(string scheme) =>
        Find(scheme).IsSome ? None
        : Packaged(scheme).Match(
            Some: packaged => Some(new UriProblem("scheme", packaged.MissingMessage)),
            None: () => CustomConstructor(scheme).Match(_ => Option<UriProblem>.None, problem => Some(problem)));

    /// <summary>A registry that also (or instead, for the same scheme in any case) knows <paramref name="registration"/>.</summary>
    public CacheRegistry With(BackendRegistration registration) =>
        // Remove first: with a case-insensitive key, SetItem would keep the old spelling in Schemes.
        new(_registrations.Remove(Guard.NotNull(registration, nameof(registration)).Scheme).Add(registration.Scheme, registration));

    /// <summary>
    /// The cache <paramref name="uri"/> describes, or every problem with it. Lenient (the default): unknown
    /// arguments and bad values are logged as warnings and left out; strict: they are problems too.
    /// </summary>
    public Validation<UriProblem, ICache> TryFromUri(string uri, CacheContext context, bool strict = false) =>
        TryFromUri(uri, context, static policy => policy, strict);

    /// <summary>
    /// As <see cref="TryFromUri(string, CacheContext, bool)"/>, with the policy read from the URI passed through
    /// <paramref name="adjustPolicy"/> first (settings a URI cannot express: key prefix, version, key function).
    /// </summary>
    public Validation<UriProblem, ICache> TryFromUri(string uri, CacheContext context, Func<CachePolicy, CachePolicy> adjustPolicy, bool strict = false)
    {
        Guard.NotNull(context, nameof(context));
        Guard.NotNull(adjustPolicy, nameof(adjustPolicy));
        return BackendUri.TryParse(uri).Match(
            Succ: syntax => Registration(syntax.Scheme, uri).Match(
                Succ: registration => Build(uri, registration, context, adjustPolicy, strict),
                Fail: problems => Validation<UriProblem, ICache>.Fail(problems)),
            Fail: problems => Validation<UriProblem, ICache>.Fail(problems));
    }

    /// <summary>The cache <paramref name="uri"/> describes.</summary>
    /// <exception cref="FormatException">The URI is invalid; the message has a header line and one line per problem.</exception>
    public ICache FromUri(string uri, CacheContext context, bool strict = false) =>
        FromUri(uri, context, static policy => policy, strict);

    /// <summary>The cache <paramref name="uri"/> describes, its policy passed through <paramref name="adjustPolicy"/>.</summary>
    /// <exception cref="FormatException">The URI is invalid; the message has a header line and one line per problem.</exception>
    public ICache FromUri(string uri, CacheContext context, Func<CachePolicy, CachePolicy> adjustPolicy, bool strict = false) =>
        TryFromUri(uri, context, adjustPolicy, strict).Match(
            cache => cache,
            problems => throw new FormatException(UriProblem.Describe(uri, problems)));

    private static Validation<UriProblem, ICache> Build(string text, BackendRegistration registration, CacheContext context, Func<CachePolicy, CachePolicy> adjustPolicy, bool strict) =>
        BackendUri.TryParse(text, registration.Arguments, strict).Match(
            Succ: uri =>
            {
                foreach (var warning in uri.Warnings) context.Logger.LogWarning("{UriWarning} It is ignored.", warning.Message);
                var policy = new CachePolicy(
                    uri.Timeout.IfNone(CachePolicy.Default.DefaultTimeout),
                    uri.MaxEntries.IfNone(CachePolicy.Default.MaxEntries),
                    uri.CullFrequency.IfNone(CachePolicy.Default.CullFrequency),
                    CachePolicy.Default.KeyPrefix, CachePolicy.Default.Version, CachePolicy.Default.KeyFunction);
                return registration.Create(new BackendRequest(uri, adjustPolicy(policy), context, strict));
            },
            Fail: problems => Validation<UriProblem, ICache>.Fail(problems));

    // Registered or packaged and referenced, else a packaged scheme whose package is missing, else a custom type's name.
    private Validation<UriProblem, BackendRegistration> Registration(string scheme, string text) =>
        Find(scheme).Match(
            Some: r => Validation<UriProblem, BackendRegistration>.Success(r),
            None: () => Packaged(scheme).Match(
                Some: missing => Validation<UriProblem, BackendRegistration>.Fail(Seq1(new UriProblem("scheme", missing.MissingMessage))),
                None: () => CustomConstructor(scheme).Match(
                    // A custom type reads its own arguments: every name written in the URI reaches it, and it decides what is bad.
                    constructor => Validation<UriProblem, BackendRegistration>.Success(new BackendRegistration(scheme, BackendUri.ArgumentNames(text),
                        request => Validation<UriProblem, ICache>.Success((ICache)constructor.Invoke([request])))),
                    problem => Validation<UriProblem, BackendRegistration>.Fail(Seq1(problem)))));

    private static Option<PackagedBackend> Packaged(string scheme) =>
        BuiltinBackends.Packaged.Find(p => string.Equals(p.Scheme, scheme, StringComparison.OrdinalIgnoreCase));

    private Either<UriProblem, ConstructorInfo> CustomConstructor(string scheme)
    {
        var type = FindType(scheme);
        var constructor = type?.GetConstructor([typeof(BackendRequest)]);
        if (type is not null && constructor is not null && typeof(ICache).IsAssignableFrom(type)) return constructor;
        var why = type is null ? "no type of that name is loaded"
            : !typeof(ICache).IsAssignableFrom(type) ? $"type {type.FullName} does not implement ICache"
            : $"type {type.FullName} has no public constructor taking a BackendRequest";
        return new UriProblem("scheme", $"Unknown cache backend scheme '{scheme}': it is not one of {string.Join(", ", Schemes)}, and {why}.");
    }

    // The package's static Registration property, when the package is referenced (its assembly sits beside the application).
    private static Option<BackendRegistration> Load(PackagedBackend packaged) =>
        Optional(FindType(packaged.AssemblyQualifiedName)?.GetProperty("Registration", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as BackendRegistration);

    private static Type? FindType(string name)
    {
        try
        {
            return Type.GetType(name, throwOnError: false)
                ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name, throwOnError: false)).FirstOrDefault(t => t is not null);
        }
        catch (Exception e) when (e is ArgumentException or FileLoadException or FileNotFoundException or BadImageFormatException or TargetInvocationException)
        {
            return null;
        }
    }
}
