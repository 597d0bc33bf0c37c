namespace Report;

/// <summary>
/// The generated part of a hand-written markdown file: everything between <c>&lt;!-- bench:begin --&gt;</c> and
/// <c>&lt;!-- bench:end --&gt;</c> is replaced, everything outside is left byte for byte.
/// </summary>
public static class MarkdownRegion
{
    /// <summary>The marker that opens the generated region.</summary>
    public const string Begin = "<!-- bench:begin -->";

    /// <summary>The marker that closes the generated region.</summary>
    public const string End = "<!-- bench:end -->";

    /// <summary><paramref name="document"/> with the region's content replaced by <paramref name="content"/>.</summary>
    /// <exception cref="InvalidOperationException">The markers are missing, repeated or out of order.</exception>
    public static string Replace(string document, string content, string documentName)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin || document.IndexOf(Begin, begin + 1, StringComparison.Ordinal) >= 0
            || document.IndexOf(End, end + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException(
                $"{documentName} must hold one '{Begin}' line followed by one '{End}' line; the report writes between them.");
        var newline = document.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var body = content.ReplaceLineEndings(newline).Trim();
        return document[..(begin + Begin.Length)] + newline + body + newline + document[end..];
    }
}
