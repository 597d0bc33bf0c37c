namespace FunctionalCache.Http.Fragments;

/// <summary>A <c>{% cache %}</c> tag whose arguments cannot be used when the template renders (a missing or non-numeric timeout).</summary>
/// <remarks>Django raises <c>TemplateSyntaxError</c> at render time for the same mistakes. Errors in the tag's shape
/// (no timeout, no fragment name) are parse errors instead, reported by <c>FluidParser.TryParse</c>.</remarks>
public sealed class FragmentCacheTagException : Exception
{
    /// <summary>An error with the text that states the rule.</summary>
    /// <param name="message">What is wrong, naming the fragment.</param>
    public FragmentCacheTagException(string message) : base(message)
    {
    }

    /// <summary>An error with the text that states the rule and its cause.</summary>
    /// <param name="message">What is wrong, naming the fragment.</param>
    /// <param name="innerException">The cause.</param>
    public FragmentCacheTagException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>An error with a generic text (for serializers and tooling).</summary>
    public FragmentCacheTagException() : base("The cache tag's arguments are not valid.")
    {
    }
}
