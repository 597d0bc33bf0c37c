using System.Globalization;
using FunctionalCache.Backends;
using LanguageExt;
using Microsoft.Extensions.Configuration;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// Reads a Django <c>CACHES</c>-like configuration section: each child is an alias whose value is a <c>CACHE_BACKEND</c>
/// URI string, or an object with <c>backend</c> (a scheme), <c>location</c> (a string or a list, joined with <c>;</c>),
/// <c>timeout</c> (whole seconds or <c>"none"</c>), <c>options</c> (URI arguments), <c>key_prefix</c> and <c>version</c>.
/// </summary>
/// <example><code>{ "Caches": { "default": "locmem:///?max_entries=500",
///   "sessions": { "backend": "db", "location": "sessions", "timeout": 1200, "options": { "database": "app.db" }, "key_prefix": "s" } } }</code></example>
/// <remarks>Django's <c>CACHES</c> setting; a <c>"default"</c> alias is required, as Django requires it. Pure: builds no cache.</remarks>
public static partial class CacheConfiguration
{
    /// <summary>The settings an object-form cache may have.</summary>
    public static Seq<string> Settings { get; } = Seq("backend", "location", "timeout", "options", "key_prefix", "version", "tiers", "backplane", "fail_safe");

    /// <summary>Every configured cache, or every problem with the section (one line each).</summary>
    public static Validation<string, Seq<CacheSettings>> TryRead(IConfiguration section)
    {
        Guard.NotNull(section, nameof(section));
        var problems = new List<string>();
        var caches = new List<CacheSettings>();
        var children = section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        if (!children.Any(c => c.Key == CacheMiddlewareOptions.DefaultAlias))
            problems.Add(children.Count == 0
                ? "No 'default' cache is configured (the section is empty or missing)."
                : $"No 'default' cache is configured; the configured aliases are {string.Join(", ", children.Select(c => c.Key))}.");
        foreach (var child in children)
        {
            var before = problems.Count;
            var settings = child.Value is { } text && !child.GetChildren().Any() ? FromUri(child.Key, text, problems) : FromObject(child, problems);
            if (problems.Count == before) CheckBackend(settings, problems);
            if (problems.Count == before) caches.Add(settings);
        }
        return problems.Count == 0
            ? Validation<string, Seq<CacheSettings>>.Success(caches.ToSeq().Strict())
            : Validation<string, Seq<CacheSettings>>.Fail(problems.ToSeq().Strict());
    }

    /// <summary>Every configured cache.</summary>
    /// <exception cref="ArgumentException">The section is invalid; the message has a header line and one line per problem.</exception>
    public static Seq<CacheSettings> Read(IConfiguration section) =>
        TryRead(section).Match(
            caches => caches,
            problems => throw new ArgumentException(Describe(section, problems)));

    /// <summary>The message for <paramref name="problems"/>: a header line naming the section, then one line per problem.</summary>
    public static string Describe(IConfiguration section, IEnumerable<string> problems)
    {
        var path = section is IConfigurationSection s ? s.Path : "(root)";
        return $"Invalid cache configuration '{path}':" + string.Concat(problems.Select(p => "\n- " + p));
    }

    private static CacheSettings FromUri(string alias, string text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) problems.Add($"'{alias}': the cache URI is empty.");
        return new CacheSettings(alias, text, None, None, None);
    }

    private static CacheSettings FromObject(IConfigurationSection cache, List<string> problems)
    {
        var alias = cache.Key;
        foreach (var unknown in cache.GetChildren().Select(c => c.Key).Where(k => !Settings.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            problems.Add($"'{alias}': unknown setting '{unknown}'; the settings are {string.Join(", ", Settings)}.");
        var backend = cache["backend"];
        if (string.IsNullOrWhiteSpace(backend)) problems.Add($"'{alias}': 'backend' is required (a scheme such as locmem, file, db, memcached or dummy).");
        var locationSection = cache.GetSection("location");
        // A configured location is a plain path or server, not URI text: escape what the URI would read otherwise.
        var location = locationSection.Value is { } single ? LocationText(single)
            : string.Join(";", locationSection.GetChildren().Select(c => LocationText(c.Value ?? "")));
        var arguments = cache.GetSection("options").GetChildren()
            .Select(o => Uri.EscapeDataString(o.Key) + "=" + Uri.EscapeDataString(o.Value ?? ""));
        var query = string.Join("&", arguments);
        var slash = (backend ?? "").ToLowerInvariant() is "locmem" or "dummy" or "memcached" && !location.EndsWith('/');
        var uri = $"{backend}://{location}" + (slash ? "/" : "") + (query.Length > 0 ? "?" + query : "");
        return new CacheSettings(alias, uri, Timeout(alias, cache["timeout"], problems), Optional(cache["key_prefix"]), Version(alias, cache["version"], problems))
        {
            Tiers = ReadTiers(alias, cache, backend ?? "", problems),
            FailSafe = FailSafeConfiguration.Read(alias, cache, problems),
        };
    }

    // '%' would start an escape, '?' the query and '#' a fragment; '/', ';' and ',' keep their meaning in a location.
    private static string LocationText(string text) => text.Replace("%", "%25").Replace("?", "%3F").Replace("#", "%23");

    private static Option<CacheTimeout> Timeout(string alias, string? text, List<string> problems)
    {
        if (text is null) return None;
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) return CacheTimeout.Never;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return CacheTimeout.After(TimeSpan.FromSeconds(seconds));
        problems.Add($"'{alias}': timeout '{text}' is not a whole number of seconds or 'none'.");
        return None;
    }

    private static Option<int> Version(string alias, string? text, List<string> problems)
    {
        if (text is null) return None;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version)) return version;
        problems.Add($"'{alias}': version '{text}' is not a whole number.");
        return None;
    }

    private static void CheckBackend(CacheSettings settings, List<string> problems)
    {
        var parsed = BackendUri.TryParse(settings.Uri);
        parsed.IfFail(errors => problems.AddRange(errors.Map(e => $"'{settings.Alias}': {e.Message}")));
        parsed.IfSuccess(uri =>
        {
            if (CacheRegistry.Builtin.Find(uri.Scheme).IsSome) return;
            var unknown = CacheRegistry.Builtin.UnknownScheme(uri.Scheme);
            if (unknown.IsSome)
            {
                problems.Add($"'{settings.Alias}': {unknown.Map(p => p.Message).IfNone("")}");
                return;
            }
            if (settings.KeyPrefix.IsSome || settings.Version.IsSome || settings.Timeout.IsSome)
                problems.Add($"'{settings.Alias}': timeout, key_prefix and version need a built-in backend; the custom backend '{uri.Scheme}' reads its own URI arguments.");
        });
    }
}
