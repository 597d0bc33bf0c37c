using System.Text.RegularExpressions;

namespace FunctionalCache.Http;

/// <summary>The one way list-valued header fields are split, shared by Cache-Control and Vary.</summary>
public static partial class HeaderText
{
    /// <summary>
    /// The pieces of a comma-separated field value, split at each comma with the blanks around it.
    /// Blanks at the very start or end of the whole value stay, and empty pieces are kept.
    /// </summary>
    /// <remarks>Django's <c>cc_delim_re = re.compile(r"\s*,\s*")</c>: keeping its exact behaviour is what makes the recorded Django outputs reproducible.</remarks>
    /// <example><c>SplitList("a , b,,c")</c> is <c>["a", "b", "", "c"]</c>.</example>
    public static string[] SplitList(string value) => Delimiter().Split(value);

    [GeneratedRegex(@"\s*,\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Delimiter();
}
