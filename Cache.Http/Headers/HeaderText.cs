namespace FunctionalCache.Http;

/// <summary>The one way list-valued header fields are split, shared by Cache-Control and Vary.</summary>
internal static class HeaderText
{
    /// <summary>
    /// The pieces of a comma-separated field value, split at each comma with the blanks around it.
    /// Blanks at the very start or end of the whole value stay, and empty pieces are kept.
    /// </summary>
    /// <remarks>Django's <c>cc_delim_re = re.compile(r"\s*,\s*")</c>: keeping its exact behaviour is what makes the recorded Django outputs reproducible.</remarks>
    /// <example><c>SplitList("a , b,,c")</c> is <c>["a", "b", "", "c"]</c>.</example>
    public static string[] SplitList(string value)
    {
        Guard.NotNull(value, nameof(value));
        var pieces = new List<string>();
        foreach (var piece in Pieces(value)) pieces.Add(piece.ToString());
        return pieces.ToArray();
    }

    /// <summary>The pieces <see cref="SplitList"/> gives, as slices of <paramref name="value"/>: nothing is allocated.</summary>
    /// <example><c>foreach (var piece in HeaderText.Pieces(vary))</c>.</example>
    public static PieceEnumerator Pieces(ReadOnlySpan<char> value) => new(value);

    /// <summary>Walks the pieces of a field value without allocating; see <see cref="SplitList"/> for the rule.</summary>
    /// <remarks>
    /// Equivalent to <c>Regex.Split(value, @"\s*,\s*")</c> with .NET's <c>\s</c>, which is exactly
    /// <see cref="char.IsWhiteSpace(char)"/>: the regex takes the blank run just before each comma and the blank run
    /// just after it, so a piece ends at its comma minus trailing blanks and the next starts after the comma's
    /// following blanks. A comma-free value is one piece, blanks and all.
    /// </remarks>
    public ref struct PieceEnumerator
    {
        private readonly ReadOnlySpan<char> _value;
        private int _next;      // where the next piece starts; -1 once the last piece has been returned
        private ReadOnlySpan<char> _current;

        internal PieceEnumerator(ReadOnlySpan<char> value)
        {
            _value = value;
            _next = 0;
            _current = default;
        }

        /// <summary>The piece the enumerator is on.</summary>
        public readonly ReadOnlySpan<char> Current => _current;

        /// <summary>This enumerator, so it can be used in <c>foreach</c>.</summary>
        public readonly PieceEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next piece; false after the last.</summary>
        public bool MoveNext()
        {
            if (_next < 0) return false;
            var start = _next;
            var comma = _value[start..].IndexOf(',');
            if (comma < 0)
            {
                _current = _value[start..];
                _next = -1;
                return true;
            }
            comma += start;
            var end = comma;
            while (end > start && char.IsWhiteSpace(_value[end - 1])) end--;
            _current = _value[start..end];
            var after = comma + 1;
            while (after < _value.Length && char.IsWhiteSpace(_value[after])) after++;
            _next = after;
            return true;
        }
    }
}
