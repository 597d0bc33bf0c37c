using System.Collections;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// An immutable set of HTTP header fields: names compare case-insensitively (RFC 9110 §5.1), each
/// name keeps the spelling and position of its first appearance, and a field has one value (repeated
/// fields are combined with <c>", "</c>, RFC 9110 §5.3, except <c>Set-Cookie</c>, whose values are
/// kept one per line because cookies cannot be comma-joined).
/// </summary>
/// <remarks>Every change returns a new map. Thread-safe: it never changes.</remarks>
public sealed class HeaderMap : IEnumerable<KeyValuePair<string, string>>, IEquatable<HeaderMap>
{
    private readonly Seq<(string Name, string Value)> _fields;

    private HeaderMap(Seq<(string Name, string Value)> fields) => _fields = fields;

    /// <summary>No fields.</summary>
    public static HeaderMap Empty { get; } = new(Seq<(string, string)>());

    /// <summary>A map of the given fields, combining repeated names.</summary>
    public static HeaderMap Of(params (string Name, string Value)[] fields) =>
        fields.Aggregate(Empty, (map, field) => map.Append(field.Name, field.Value));

    /// <summary>The number of distinct field names.</summary>
    public int Count => _fields.Count;

    /// <summary>The value of <paramref name="name"/>, or None when the field is absent (an empty value is present).</summary>
    public Option<string> Get(string name)
    {
        foreach (var (n, v) in _fields)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return Some(v);
        return None;
    }

    /// <summary>True when the field is present, even with an empty value.</summary>
    public bool Contains(string name) => Get(name).IsSome;

    /// <summary>A map with <paramref name="name"/> set to <paramref name="value"/>, replacing any value in place.</summary>
    public HeaderMap Set(string name, string value)
    {
        Guard.NotNull(name, nameof(name));
        Guard.NotNull(value, nameof(value));
        var index = IndexOf(name);
        return index < 0
            ? new HeaderMap(_fields.Add((name, value)))
            : new HeaderMap(_fields.Take(index).Add((_fields[index].Name, value)).Concat(_fields.Skip(index + 1)));
    }

    /// <summary>A map with <paramref name="value"/> added to <paramref name="name"/>: a new field, or joined to the existing value.</summary>
    public HeaderMap Append(string name, string value) =>
        Get(name).Match(
            Some: existing => Set(name, existing + (IsSetCookie(name) ? "\n" : ", ") + value),
            None: () => Set(name, value));

    /// <summary>A map without <paramref name="name"/>.</summary>
    public HeaderMap Remove(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? this : new HeaderMap(_fields.Take(index).Concat(_fields.Skip(index + 1)));
    }

    /// <summary>The fields in order, each with its first spelling.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        _fields.Map(f => new KeyValuePair<string, string>(f.Name, f.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same names (ignoring case) with the same values in the same order.</summary>
    public bool Equals(HeaderMap? other) =>
        other is not null && _fields.Count == other._fields.Count &&
        _fields.Zip(other._fields).All(p => string.Equals(p.Item1.Name, p.Item2.Name, StringComparison.OrdinalIgnoreCase) && p.Item1.Value == p.Item2.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as HeaderMap);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        _fields.Fold(0, (hash, f) => HashCode.Combine(hash, StringComparer.OrdinalIgnoreCase.GetHashCode(f.Name), f.Value));

    /// <summary>One <c>Name: value</c> line per field.</summary>
    public override string ToString() => string.Join("\n", _fields.Map(f => $"{f.Name}: {f.Value}"));

    private int IndexOf(string name)
    {
        var i = 0;
        foreach (var (n, _) in _fields)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return i;
            i++;
        }
        return -1;
    }

    private static bool IsSetCookie(string name) => string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase);
}
