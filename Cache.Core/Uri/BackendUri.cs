using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache;

/// <summary>
/// A parsed Django 1.0/1.1 <c>CACHE_BACKEND</c> URI: <c>scheme://location/?name=value&amp;…</c>, e.g.
/// <c>locmem:///?timeout=30</c>, <c>file:///var/tmp/cache</c>, <c>db://my_cache_table</c>,
/// <c>memcached://h1:11211;h2:11212/</c>, or a custom scheme naming a .NET type.
/// </summary>
/// <remarks>
/// <para>
/// Parsing follows Django's algorithm exactly: the first <c>:</c> ends the scheme; the rest must start
/// with <c>//</c>; the query is everything after the first <c>?</c>; the location is the text between
/// <c>//</c> and that <c>?</c> minus exactly one trailing <c>/</c>; query pairs split on <c>&amp;</c> and
/// <c>;</c>, pairs that are empty, lack <c>=</c> or have an empty value are skipped, <c>+</c> is a space,
/// <c>%XX</c> is decoded (a bad <c>%</c> stays), the last of repeated names wins, names are case-sensitive.
/// </para>
/// <para>
/// Where RFC 3986 and Django part ways, the RFC wins (deliberate differences): the location is percent-decoded
/// too (<c>file:///a%20c</c> is the directory <c>/a c</c>; <c>+</c> stays a plus there, as in any URI path), and a
/// <c>%</c> not followed by two hex digits, or escapes that are not UTF-8, make the URI a failure naming the
/// escape; <see cref="RawLocation"/> keeps the text as written. A <c>#</c> after the scheme starts a fragment,
/// which no cache location has: the URI is a failure naming it (write <c>%23</c> for a <c>#</c> in a path or a
/// value). Scheme case is kept as written here; the registry matches built-in schemes case-insensitively.
/// </para>
/// <para>
/// Scheme characters: a scheme may be a built-in name (<c>locmem</c>), a dotted type name
/// (<c>My.Namespace.MyCache</c>) or an assembly-qualified one (<c>My.Cache, MyAssembly</c>), so it may
/// contain any character except control characters, <c>/</c>, <c>?</c>, <c>#</c> and whitespace; the one
/// exception is a single space right after a comma, as assembly-qualified names are written. Whether a
/// scheme names a registered backend is the factory's business, not the parser's.
/// </para>
/// <para>
/// Known arguments, coerced with Python's <c>int()</c> (blanks around, optional sign, ASCII digits, and
/// here: must fit in an <see cref="int"/>): <c>timeout</c> (seconds, any value; zero or negative means
/// every entry is born expired), <c>max_entries</c> (at least 1), <c>cull_frequency</c> (at least 0;
/// 0 empties the cache when full) and <c>cull_percentage</c>, the seed chapter's name, as an alias of
/// <c>cull_frequency</c>. Unlike Django, <c>max_entries=0</c> is rejected: the culling law "entry count
/// ≤ MaxEntries after every write" needs room for the entry just written.
/// </para>
/// <para>
/// Django ignores bad values and unknown names silently. Here, in lenient mode (the default) each one is
/// left out of the result (so the default applies) and reported in <see cref="Warnings"/>; in strict mode
/// each one is a failure. A URI that is not <c>scheme://…</c>, whose scheme is empty or has a character that
/// cannot be in a scheme, that has a fragment, or whose location has a malformed escape, is a failure in both modes.
/// </para>
/// </remarks>
public sealed record BackendUri
{
    /// <summary>The argument names every backend understands (and the alias), in message order.</summary>
    private static readonly string[] KnownNames = ["timeout", "max_entries", "cull_frequency", "cull_percentage"];

    private BackendUri(string scheme, string rawLocation, string location, Map<string, string> arguments, Option<CacheTimeout> timeout,
        Option<int> maxEntries, Option<int> cullFrequency, Seq<UriProblem> warnings)
    {
        Scheme = scheme;
        RawLocation = rawLocation;
        Location = location;
        Arguments = arguments;
        Timeout = timeout;
        MaxEntries = maxEntries;
        CullFrequency = cullFrequency;
        Warnings = warnings;
        // Split before decoding, so that an escaped %3B or %2C stays inside its part. A part of a location that
        // decoded whole always decodes: a split never falls inside a %XX escape or a run of them.
        Locations = rawLocation.Split(';', ',').Select(s => s.Trim()).Where(s => s.Length > 0)
            .Select(s => UriText.UnquotePath(s).Value!).ToSeq().Strict();
    }

    /// <summary>The scheme as written (case-sensitive): <c>locmem</c>, <c>file</c>, <c>db</c>, <c>memcached</c>,
    /// <c>dummy</c>, or a custom type name.</summary>
    public string Scheme { get; }

    /// <summary>Django's "host" percent-decoded: the text between <c>//</c> and the first <c>?</c>, minus exactly one
    /// trailing <c>/</c> (<c>file:///tmp//</c> → <c>/tmp/</c>), then <c>%XX</c> escapes decoded as UTF-8
    /// (<c>file:///a%20c</c> → <c>/a c</c>; a <c>+</c> stays). May be empty.</summary>
    public string Location { get; }

    /// <summary><see cref="Location"/> as written in the URI, before percent-decoding: what <see cref="Format"/> writes back.</summary>
    public string RawLocation { get; }

    /// <summary>
    /// The accepted arguments, decoded, last one wins: the known ones whose value is valid and the extra
    /// names the caller declared. The alias <c>cull_percentage</c> is stored under <c>cull_frequency</c>.
    /// Names are matched ordinally while parsing; note that LanguageExt's <c>Map</c> orders its keys with
    /// LanguageExt's default (culture-aware) string order, so two declared names that differ only by
    /// culture-ignorable characters would share one entry. <see cref="Format"/> sorts ordinally.
    /// </summary>
    public Map<string, string> Arguments { get; }

    /// <summary>The <c>timeout</c> argument as <see cref="CacheTimeout.After(TimeSpan)"/>; None = the policy default.</summary>
    public Option<CacheTimeout> Timeout { get; }

    /// <summary>The <c>max_entries</c> argument (at least 1); None = the policy default.</summary>
    public Option<int> MaxEntries { get; }

    /// <summary>The <c>cull_frequency</c> (or <c>cull_percentage</c>) argument (at least 0; 0 = empty the cache
    /// when full); None = the policy default.</summary>
    public Option<int> CullFrequency { get; }

    /// <summary>What lenient parsing left out and why (always empty after a strict parse).</summary>
    public Seq<UriProblem> Warnings { get; }

    /// <summary>The location split on <c>;</c> and <c>,</c>, trimmed, empty parts dropped, each part percent-decoded
    /// (an escaped <c>%3B</c> does not split): memcached's server list.</summary>
    public Seq<string> Locations { get; }

    /// <summary>Parses a backend URI, accepting only the known arguments.</summary>
    /// <param name="text">The URI; null is reported as a problem.</param>
    /// <param name="strict">When true, every warning is a failure too.</param>
    /// <returns>The URI, or every problem found.</returns>
    public static Validation<UriProblem, BackendUri> TryParse(string? text, bool strict = false) =>
        TryParse(text, [], strict);

    /// <summary>Parses a backend URI, also accepting (uninterpreted) the extra argument names a backend reads,
    /// such as <c>store</c> or <c>database</c>.</summary>
    /// <param name="text">The URI; null is reported as a problem.</param>
    /// <param name="acceptedArguments">Extra argument names to keep in <see cref="Arguments"/> (case-sensitive).</param>
    /// <param name="strict">When true, every warning is a failure too.</param>
    /// <returns>The URI, or every problem found.</returns>
    /// <exception cref="ArgumentException"><paramref name="acceptedArguments"/> is null or holds a null.</exception>
    public static Validation<UriProblem, BackendUri> TryParse(string? text, IEnumerable<string> acceptedArguments, bool strict = false)
    {
        var accepted = AcceptedNames(acceptedArguments);
        if (text is null)
            return Fail(Seq1(new UriProblem("uri", "Backend URI must not be null.")));

        var colon = text.IndexOf(':');
        if (colon < 0 || !text.AsSpan(colon + 1).StartsWith("//"))
            return Fail(Seq1(new UriProblem("scheme", $"Backend URI must start with scheme://: {UriText.Quoted(Redact(text))}")));

        var errors = new List<UriProblem>();
        var scheme = text.Substring(0, colon);
        var schemeProblem = SchemeProblem(scheme, text);
        if (schemeProblem is not null) errors.Add(schemeProblem);

        var rest = text.Substring(colon + 1);
        // RFC 3986 §3.5: '#' ends the query and starts a fragment; a cache location has none to point into.
        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            errors.Add(new UriProblem("fragment",
                $"Backend URI must not have a fragment ({UriText.Quoted(Redact(text).Substring(Redact(text).IndexOf('#')))}): write %23 for a '#' in a location or a value: {UriText.Quoted(Redact(text))}"));
            rest = rest.Substring(0, hash);
        }
        var question = rest.IndexOf('?');
        var host = question < 0 ? rest.Substring(2) : rest.Substring(2, question - 2);
        if (host.EndsWith('/')) host = host.Substring(0, host.Length - 1);
        var query = question < 0 ? "" : rest.Substring(question + 1);
        var (location, locationProblem) = UriText.UnquotePath(host);
        if (locationProblem is not null) errors.Add(new UriProblem("location", $"Backend URI location {UriText.Quoted(RedactLocation(host))} {locationProblem}"));

        var (arguments, timeout, maxEntries, cullFrequency, warnings) = ReadArguments(query, accepted);

        if (strict) errors.AddRange(warnings);
        if (errors.Count > 0) return Fail(errors.ToSeq().Strict());
        return Validation<UriProblem, BackendUri>.Success(
            new BackendUri(scheme, host, location!, arguments, timeout, maxEntries, cullFrequency, warnings.ToSeq().Strict()));
    }

    /// <summary>Parses a backend URI like <see cref="TryParse(string?, bool)"/>, throwing on failure.</summary>
    /// <param name="text">The URI.</param>
    /// <param name="strict">When true, every warning is a failure too.</param>
    /// <returns>The URI (with any lenient warnings in <see cref="Warnings"/>).</returns>
    /// <exception cref="FormatException">The URI is invalid; the message has a header line and one line per problem.</exception>
    public static BackendUri Parse(string? text, bool strict = false) => Parse(text, [], strict);

    /// <summary>Parses a backend URI like <see cref="TryParse(string?, IEnumerable{string}, bool)"/>, throwing on failure.</summary>
    /// <param name="text">The URI.</param>
    /// <param name="acceptedArguments">Extra argument names to keep in <see cref="Arguments"/> (case-sensitive).</param>
    /// <param name="strict">When true, every warning is a failure too.</param>
    /// <returns>The URI (with any lenient warnings in <see cref="Warnings"/>).</returns>
    /// <exception cref="FormatException">The URI is invalid; the message has a header line and one line per problem.</exception>
    /// <exception cref="ArgumentException"><paramref name="acceptedArguments"/> is null or holds a null.</exception>
    public static BackendUri Parse(string? text, IEnumerable<string> acceptedArguments, bool strict = false) =>
        TryParse(text, acceptedArguments, strict).Match(
            uri => uri,
            problems => throw new FormatException(UriProblem.Describe(text, problems)));

    /// <summary>
    /// The canonical text: <c>scheme://</c> + <see cref="RawLocation"/> + <c>/</c>, then <c>?</c> and the
    /// <see cref="Arguments"/> sorted by name (ordinal), percent-encoded so that they parse back.
    /// <c>Parse(x.Format())</c> equals <c>x</c> except for <see cref="Warnings"/> (given the same accepted names).
    /// </summary>
    public string Format()
    {
        var b = new StringBuilder(Scheme).Append("://").Append(RawLocation).Append('/');
        var separator = '?';
        foreach (var (name, value) in Arguments.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            b.Append(separator).Append(QueryText.Quote(name)).Append('=').Append(QueryText.Quote(value));
            separator = '&';
        }
        return b.ToString();
    }

    /// <summary>
    /// Every argument name written in the query of <paramref name="text"/>, decoded, in order of first
    /// appearance; empty when there is no query. The registry accepts these for a custom type named as the
    /// scheme, which reads arguments nobody declared in advance.
    /// </summary>
    internal static Seq<string> ArgumentNames(string text)
    {
        Guard.NotNull(text, nameof(text));
        var hash = text.IndexOf('#');
        if (hash >= 0) text = text.Substring(0, hash);
        var question = text.IndexOf('?');
        return question < 0
            ? LanguageExt.Seq<string>.Empty
            : QueryText.Pairs(text.Substring(question + 1)).Select(pair => pair.Name).Distinct(StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <summary>
    /// <paramref name="uri"/> with its passwords replaced by <c>***</c>, for logs and error texts: the password of each
    /// location part written <c>user:password@host</c> (or the whole <c>secret@</c>), and the value of every argument
    /// named <c>password</c>. Every message the library writes about a URI quotes it this way.
    /// </summary>
    /// <remarks>
    /// A password holding <c>;</c>, <c>,</c>, <c>/</c>, <c>?</c> or <c>#</c> must be percent-encoded in a URI anyway (those
    /// characters end a location part); written raw, part of it may be read as a host and shown.
    /// </remarks>
    public static string Redact(string uri)
    {
        Guard.NotNull(uri, nameof(uri));
        var start = uri.IndexOf("//", StringComparison.Ordinal);
        if (start < 0) return uri;
        start += 2;
        var end = uri.IndexOfAny(['?', '#'], start);
        if (end < 0) end = uri.Length;
        var query = uri.Substring(end);
        // '&' and ';' separate query pairs, as QueryText reads them.
        query = System.Text.RegularExpressions.Regex.Replace(query, "(?<=[?&;])password=[^&;#]*", "password=***");
        return uri.Substring(0, start) + RedactLocation(uri.Substring(start, end - start)) + query;
    }

    // Each part's user information, up to its last '@': "user:secret@host" -> "user:***@host", "secret@host" -> "***@host".
    private static string RedactLocation(string location)
    {
        if (!location.Contains('@')) return location;
        var b = new StringBuilder(location.Length);
        var partStart = 0;
        for (var i = 0; i <= location.Length; i++)
        {
            if (i < location.Length && location[i] is not (';' or ',')) continue;
            var part = location.Substring(partStart, i - partStart);
            var at = part.LastIndexOf('@');
            if (at >= 0)
            {
                var colon = part.IndexOf(':');
                part = (colon >= 0 && colon < at ? part.Substring(0, colon + 1) : "") + "***" + part.Substring(at);
            }
            b.Append(part);
            if (i < location.Length) b.Append(location[i]);
            partStart = i + 1;
        }
        return b.ToString();
    }

    /// <summary>The same as <see cref="Format"/>.</summary>
    public override string ToString() => Format();

    private static Validation<UriProblem, BackendUri> Fail(Seq<UriProblem> problems) =>
        Validation<UriProblem, BackendUri>.Fail(problems);

    private static List<string> AcceptedNames(IEnumerable<string> acceptedArguments)
    {
        Guard.That(acceptedArguments is not null, nameof(acceptedArguments), "The accepted argument names must not be null.");
        var names = new List<string>(KnownNames);
        foreach (var name in acceptedArguments!)
        {
            Guard.That(name is not null, nameof(acceptedArguments), "An accepted argument name must not be null.");
            if (!names.Contains(name!, StringComparer.Ordinal)) names.Add(name!);
        }
        return names;
    }

    private static UriProblem? SchemeProblem(string scheme, string text)
    {
        if (scheme.Length == 0)
            return new UriProblem("scheme", $"Backend URI scheme must not be empty: {UriText.Quoted(Redact(text))}");
        for (var i = 0; i < scheme.Length; i++)
        {
            var c = scheme[i];
            var what =
                char.IsControl(c) ? $"control character U+{(int)c:X4}" :
                c == ' ' ? (i > 0 && scheme[i - 1] == ',' ? null : "a space except right after a comma") :
                char.IsWhiteSpace(c) ? $"whitespace U+{(int)c:X4}" :
                c is '/' or '?' or '#' ? $"'{c}'" :
                null;
            if (what is not null)
                return new UriProblem("scheme",
                    $"Backend URI scheme {UriText.Quoted(scheme)} must not contain {what}: {UriText.Quoted(Redact(text))}");
        }
        return null;
    }

    private static (Map<string, string>, Option<CacheTimeout>, Option<int>, Option<int>, List<UriProblem>) ReadArguments(
        string query, List<string> accepted)
    {
        // Last wins; problems are reported in the order names first appear.
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in QueryText.Pairs(query))
        {
            if (!values.ContainsKey(name)) order.Add(name);
            values[name] = value;
        }

        var arguments = LanguageExt.Map<string, string>.Empty;
        Option<CacheTimeout> timeout = None;
        Option<int> maxEntries = None, cullFrequency = None;
        var warnings = new List<UriProblem>();

        foreach (var name in order)
        {
            var value = values[name];
            switch (name)
            {
                case "timeout":
                    if (Whole(name, value, int.MinValue, "a whole number of seconds", warnings) is int seconds)
                    {
                        timeout = CacheTimeout.After(TimeSpan.FromSeconds(seconds));
                        arguments = arguments.AddOrUpdate(name, value);
                    }
                    break;
                case "max_entries":
                    if (Whole(name, value, 1, "a whole number from 1", warnings) is int max)
                    {
                        maxEntries = max;
                        arguments = arguments.AddOrUpdate(name, value);
                    }
                    break;
                case "cull_frequency":
                    if (Whole(name, value, 0, "a whole number from 0", warnings) is int frequency)
                    {
                        cullFrequency = frequency;
                        arguments = arguments.AddOrUpdate(name, value);
                    }
                    break;
                case "cull_percentage":
                    if (values.ContainsKey("cull_frequency"))
                        warnings.Add(new UriProblem(Part(name),
                            $"Argument 'cull_percentage' ({UriText.Quoted(value)}) is ignored because 'cull_frequency' is also given; cull_percentage is only its alias."));
                    else if (Whole(name, value, 0, "a whole number from 0", warnings) is int alias)
                    {
                        cullFrequency = alias;
                        arguments = arguments.AddOrUpdate("cull_frequency", value);
                    }
                    break;
                default:
                    if (accepted.Contains(name, StringComparer.Ordinal))
                        arguments = arguments.AddOrUpdate(name, value);
                    else
                        warnings.Add(new UriProblem(Part(name),
                            $"Unknown argument {UriText.Quoted(name)} ({UriText.Quoted(value)}); accepted arguments: {string.Join(", ", accepted)}."));
                    break;
            }
        }
        return (arguments, timeout, maxEntries, cullFrequency, warnings);
    }

    private static int? Whole(string name, string value, int minimum, string rule, List<UriProblem> warnings)
    {
        var n = UriText.PythonInt(value);
        if (n is int v && v >= minimum) return v;
        var range = minimum == int.MinValue ? $" ({int.MinValue} to {int.MaxValue})" : $" to {int.MaxValue}";
        warnings.Add(new UriProblem(Part(name),
            $"Argument '{name}' must be {rule}{range}, not {UriText.Quoted(value)}."));
        return null;
    }

    private static string Part(string name) => $"argument {UriText.Quoted(name)}";
}
