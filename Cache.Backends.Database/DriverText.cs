namespace FunctionalCache.Backends.Database;

/// <summary>What a database driver's exception says, as one line for an error message.</summary>
/// <remarks>
/// System.Data.SQLite's messages are two lines, the result code's description and then SQLite's own text
/// ("SQL logic error" / "no such table: t"), which are often the same words ("file is not a database" twice).
/// Thread-safe (stateless).
/// </remarks>
internal static class DriverText
{
    /// <summary>The distinct lines of <paramref name="e"/>'s message, in order, joined by <c>": "</c>.</summary>
    public static string Of(Exception e) =>
        string.Join(": ", e.Message
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal));
}
