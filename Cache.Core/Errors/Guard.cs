namespace FunctionalCache;

/// <summary>
/// The one guard helper for caller mistakes: each check throws <see cref="ArgumentException"/> whose
/// message states the rule that was broken.
/// </summary>
internal static class Guard
{
    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <exception cref="ArgumentException">The rule does not hold.</exception>
    public static void That(bool condition, string parameter, string rule)
    {
        if (!condition) throw new ArgumentException(rule, parameter);
    }

    /// <summary>Returns <paramref name="value"/>, or throws when it is null.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public static T NotNull<T>(T? value, string parameter) where T : class =>
        value ?? throw new ArgumentNullException(parameter, $"{parameter} must not be null.");
}
