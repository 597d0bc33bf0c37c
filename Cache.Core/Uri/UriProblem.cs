namespace FunctionalCache;

/// <summary>
/// One thing wrong with a cache backend URI: which part is bad and a full sentence saying why.
/// Returned as a warning (lenient parsing) or as a failure (a malformed URI, or any problem in strict mode).
/// </summary>
public sealed record UriProblem
{
    /// <summary>Creates a problem report.</summary>
    /// <param name="part">What is bad, e.g. <c>scheme</c> or <c>argument 'timeout'</c>.</param>
    /// <param name="message">A full sentence naming the bad part and its value.</param>
    /// <exception cref="ArgumentNullException">A parameter is null.</exception>
    public UriProblem(string part, string message)
    {
        Part = Guard.NotNull(part, nameof(part));
        Message = Guard.NotNull(message, nameof(message));
    }

    /// <summary>What is bad: <c>uri</c>, <c>scheme</c>, or <c>argument 'name'</c>.</summary>
    public string Part { get; }

    /// <summary>A full sentence naming the bad part and its value.</summary>
    public string Message { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    /// <summary>
    /// The one text every thrown URI failure carries: a header line naming the URI, then one
    /// <c>- message</c> line per problem (lines joined with <c>\n</c>). The URI is quoted without its passwords
    /// (<see cref="BackendUri.Redact"/>).
    /// </summary>
    public static string Describe(string? uri, IEnumerable<UriProblem> problems)
    {
        var b = new System.Text.StringBuilder("Invalid cache backend URI ")
            .Append(uri is null ? "(null)" : UriText.Quoted(BackendUri.Redact(uri))).Append(':');
        foreach (var p in problems) b.Append('\n').Append("- ").Append(p.Message);
        return b.ToString();
    }
}
