using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache;

/// <summary>
/// Reads a backend URI's own arguments (the names its scheme accepts) into typed values for a backend's factory. A bad
/// value is not thrown: it becomes one <see cref="UriProblem"/> naming the argument, the rule and the value, and reads
/// as absent, so its default applies. A factory reads every argument, then reports all of <see cref="Problems"/>
/// together (strict) or logs them and goes on (lenient).
/// </summary>
/// <remarks>Not thread-safe: one reader serves one factory call.</remarks>
public sealed class UriArgumentReader
{
    private readonly Map<string, string> _arguments;

    /// <summary>A reader of <paramref name="uri"/>'s arguments.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    public UriArgumentReader(BackendUri uri) => _arguments = Guard.NotNull(uri, nameof(uri)).Arguments;

    /// <summary>One problem per bad value read so far, in the order they were read.</summary>
    public Seq<UriProblem> Problems { get; private set; }

    /// <summary>A positive number of seconds (fractions allowed) under a day: <c>connect_timeout=0.5</c>.</summary>
    public Option<TimeSpan> Seconds(string name) =>
        Read(name, "a positive number of seconds under a day", text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s < 86_400
                ? Some(TimeSpan.FromSeconds(s))
                : None);

    /// <summary><c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>.</summary>
    public Option<bool> Flag(string name) =>
        Read(name, "'true' or 'false'", text => text switch
        {
            "true" or "1" => Some(true),
            "false" or "0" => Some(false),
            _ => None,
        });

    /// <summary>A whole number (digits only, no sign) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public Option<int> WholeNumber(string name, int min, int max) =>
        Read(name, max == int.MaxValue ? $"a whole number from {min}" : $"a whole number from {min} to {max}", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? Some(n) : None);

    /// <summary>
    /// The argument read by <paramref name="parse"/>; when it answers none, a problem saying the argument
    /// <c>must be <paramref name="rule"/></c> (a phrase: "a whole number from 1") is recorded and none is returned.
    /// </summary>
    public Option<T> Read<T>(string name, string rule, Func<string, Option<T>> parse) =>
        _arguments.Find(name).Bind(text =>
        {
            var value = parse(text);
            if (value.IsNone) Report(new UriProblem($"argument '{name}'", $"Argument '{name}' must be {rule}, not {UriText.Quoted(text)}."));
            return value;
        });

    /// <summary>Records a problem found otherwise (two arguments that contradict each other, say).</summary>
    public void Report(UriProblem problem) => Problems = Problems.Add(Guard.NotNull(problem, nameof(problem)));
}
