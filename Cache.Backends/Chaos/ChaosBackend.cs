using LanguageExt;
using Microsoft.Extensions.Logging;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Chaos;

/// <summary>
/// The <c>chaos</c> scheme: <c>chaos://?inner=&lt;percent-encoded URI&gt;&amp;fail_every=3</c>, a <see cref="ChaosCache"/>
/// over the cache the <c>inner</c> URI names, so that the CLI, the demo and configuration can run over a failing cache.
/// </summary>
/// <remarks>
/// <para>Arguments: <c>inner</c> (required; its <c>&amp;</c>, <c>;</c>, <c>+</c> and <c>%</c> must be percent-encoded, as
/// <c>Uri.EscapeDataString</c> does); for each fault <c>fail</c>, <c>corrupt</c> and <c>delay</c>, the selectors
/// <c>&lt;fault&gt;_every=N</c> (calls N, 2N, …), <c>&lt;fault&gt;_rate=P</c> (a share from 0 to 1, drawn from <c>seed</c>) and
/// <c>&lt;fault&gt;_window=A-B</c> (calls A to B); <c>delay_ms</c> (the delay's length; alone, every call is delayed);
/// <c>timeout_ms</c> (a delay this long or longer fails after it); <c>seed</c> (whole number, default 0);
/// <c>lenient</c> (<c>true</c>: failures are logged misses, as on memcached); <c>operations</c> (a comma list such as
/// <c>get,set</c>: only these get faults). Where several faults pick one call, fail beats corrupt beats delay.</para>
/// <para>Bad values are warnings (lenient) or errors (strict), as on every scheme; a URI that schedules no fault is
/// one too. <c>timeout</c>, <c>max_entries</c> and <c>cull_frequency</c> belong in the inner URI.</para>
/// <para>The inner URI is built by <see cref="CacheRegistry.Builtin"/> in the same context and mode; a registry of your
/// own registers <see cref="Over"/> to let inner URIs use its schemes.</para>
/// </remarks>
public static class ChaosBackend
{
    private static readonly Seq<string> Arguments = ChaosArguments.Names.Add("inner");

    /// <summary>The registration of the <c>chaos</c> scheme, whose inner URIs the built-in registry builds.</summary>
    public static BackendRegistration Registration { get; } = new("chaos", Arguments, static request => Create(request, CacheRegistry.Builtin));

    /// <summary>A registration of the <c>chaos</c> scheme whose inner URIs <paramref name="registry"/> builds.</summary>
    /// <exception cref="ArgumentNullException">The registry is null.</exception>
    public static BackendRegistration Over(CacheRegistry registry)
    {
        Guard.NotNull(registry, nameof(registry));
        return new("chaos", Arguments, request => Create(request, registry));
    }

    private static Validation<UriProblem, ICache> Create(BackendRequest request, CacheRegistry registry)
    {
        var inner = request.Uri.Arguments.Find("inner");
        if (inner.IsNone)
            return Validation<UriProblem, ICache>.Fail(Seq1(new UriProblem("argument 'inner'",
                "The chaos backend needs the URI of the cache it wraps, as in 'chaos://?inner=locmem%3A%2F%2F%2F&fail_every=3'.")));
        var innerUri = inner.IfNone("");

        // Read the chaos arguments before building the inner cache, so that a refused URI opens no connection.
        var read = ChaosArguments.Read(request.Uri);
        if (request.Strict && !read.Problems.IsEmpty) return Validation<UriProblem, ICache>.Fail(read.Problems);
        foreach (var problem in read.Problems) request.Context.Logger.LogWarning("{UriWarning} The default applies.", problem.Message);

        return registry.TryFromUri(innerUri, request.Context, request.Strict).Match(
            Succ: cache => Validation<UriProblem, ICache>.Success(new ChaosCache(cache, read.Schedule, request.Context, read.Lenient, read.Timeout)),
            Fail: problems => Validation<UriProblem, ICache>.Fail(problems.Map(p =>
                new UriProblem("argument 'inner'", $"Argument 'inner' ({UriText.Quoted(innerUri)}): {p.Message}"))));
    }
}
