using System.Collections;

namespace QuickStart;

/// <summary>Prints results the way the Django Book's interpreter session shows them.</summary>
internal static class Display
{
    public static string Of(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().OrderBy(k => k.ToString()).Select(k => $"{Of(k)}: {Of(d[k])}")) + "}",
        IEnumerable<(string, int)> pairs => "{" + string.Join(", ", pairs.OrderBy(p => p.Item1).Select(p => $"\"{p.Item1}\": {p.Item2}")) + "}",
        _ => value.ToString() ?? "",
    };
}
