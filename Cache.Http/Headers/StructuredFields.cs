using System.Globalization;
using System.Text;

namespace FunctionalCache.Http;

/// <summary>
/// The parts of RFC 8941 (Structured Field Values for HTTP) that Cache-Status needs: parsing a List of Items with
/// Parameters (Inner Lists are read and reported as such), and writing tokens, strings and integers.
/// </summary>
/// <remarks>
/// Pure; parsing never throws: a value that breaks the grammar anywhere is None, as RFC 8941 §4.2 asks ("fail
/// parsing" makes the whole field be ignored). Bare items are kept as .NET values: <see cref="long"/> (Integer),
/// <see cref="decimal"/> (Decimal), <see cref="string"/> (String), <see cref="Token"/>, <see cref="byte"/>[] (Byte
/// Sequence), <see cref="bool"/> (Boolean).
/// </remarks>
internal static class StructuredFields
{
    /// <summary>The largest magnitude of an Integer: fifteen digits.</summary>
    public const long MaxInteger = 999_999_999_999_999;

    /// <summary>A Token bare item, kept apart from a String with the same text.</summary>
    public sealed record Token(string Text);

    /// <summary>One list member: an Item (its bare item) or an Inner List (<see cref="InnerList"/> true), with its parameters in order.</summary>
    public sealed record Member(object Value, bool InnerList, IReadOnlyList<KeyValuePair<string, object>> Parameters);

    /// <summary>The members of a List field value, or None when it breaks RFC 8941's grammar.</summary>
    public static LanguageExt.Option<IReadOnlyList<Member>> ParseList(string text)
    {
        var reader = new Reader(text);
        var members = new List<Member>();
        reader.SkipSpaces();
        while (!reader.AtEnd)
        {
            var member = reader.Peek == '(' ? reader.InnerList() : reader.Item();
            if (member is null) return LanguageExt.Prelude.None;
            members.Add(member);
            reader.SkipBlanks();
            if (reader.AtEnd) return LanguageExt.Prelude.Some<IReadOnlyList<Member>>(members);
            if (!reader.Take(',')) return LanguageExt.Prelude.None;
            reader.SkipBlanks();
            // A trailing comma leaves an empty member: not allowed.
            if (reader.AtEnd) return LanguageExt.Prelude.None;
        }
        return LanguageExt.Prelude.Some<IReadOnlyList<Member>>(members);
    }

    /// <summary>True when <paramref name="text"/> is a Token: a letter or <c>*</c>, then tchar, <c>:</c> or <c>/</c>.</summary>
    public static bool IsToken(string text)
    {
        if (text.Length == 0 || !(IsAlpha(text[0]) || text[0] == '*')) return false;
        foreach (var c in text.AsSpan(1))
            if (!IsTokenChar(c)) return false;
        return true;
    }

    /// <summary>True when every character is printable ASCII (space to <c>~</c>), which a String can hold.</summary>
    public static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
            if (c is < ' ' or > '~') return false;
        return true;
    }

    /// <summary>Appends a String: quoted, with <c>\</c> before each <c>"</c> and <c>\</c>.</summary>
    public static StringBuilder AppendString(StringBuilder output, string text)
    {
        output.Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') output.Append('\\');
            output.Append(c);
        }
        return output.Append('"');
    }

    /// <summary>Appends <paramref name="text"/> as a Token when it is one, else as a String.</summary>
    public static StringBuilder AppendTokenOrString(StringBuilder output, string text) =>
        IsToken(text) ? output.Append(text) : AppendString(output, text);

    private static bool IsAlpha(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    // RFC 9110 tchar, plus ':' and '/' which RFC 8941 allows in tokens.
    private static bool IsTokenChar(char c) =>
        IsAlpha(c) || IsDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~' or ':' or '/';

    private static bool IsKeyChar(char c) => c is >= 'a' and <= 'z' || IsDigit(c) || c is '_' or '-' or '.' or '*';

    /// <summary>A cursor over the field value; each method consumes what it reads and returns null on a grammar error.</summary>
    private sealed class Reader(string text)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public char Peek => text[_at];

        public bool Take(char c)
        {
            if (AtEnd || text[_at] != c) return false;
            _at++;
            return true;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && text[_at] == ' ') _at++;
        }

        // OWS around list commas: spaces and tabs.
        public void SkipBlanks()
        {
            while (!AtEnd && text[_at] is ' ' or '\t') _at++;
        }

        public Member? Item()
        {
            var value = BareItem();
            if (value is null) return null;
            var parameters = Parameters();
            return parameters is null ? null : new Member(value, false, parameters);
        }

        public Member? InnerList()
        {
            Take('(');
            var items = new List<Member>();
            while (!AtEnd)
            {
                SkipSpaces();
                if (Take(')'))
                {
                    var parameters = Parameters();
                    return parameters is null ? null : new Member(items, true, parameters);
                }
                var item = Item();
                if (item is null) return null;
                items.Add(item);
                if (AtEnd || (Peek != ' ' && Peek != ')')) return null;
            }
            return null;
        }

        private List<KeyValuePair<string, object>>? Parameters()
        {
            var parameters = new List<KeyValuePair<string, object>>();
            while (Take(';'))
            {
                SkipSpaces();
                var key = Key();
                if (key is null) return null;
                object value = true;
                if (Take('='))
                {
                    var bare = BareItem();
                    if (bare is null) return null;
                    value = bare;
                }
                // A repeated key keeps its place and takes the last value (RFC 8941 §4.2.3.2).
                var index = parameters.FindIndex(p => p.Key == key);
                if (index >= 0) parameters[index] = new(key, value);
                else parameters.Add(new(key, value));
            }
            return parameters;
        }

        private string? Key()
        {
            if (AtEnd || !(Peek is >= 'a' and <= 'z' || Peek == '*')) return null;
            var start = _at;
            while (!AtEnd && IsKeyChar(Peek)) _at++;
            return text[start.._at];
        }

        private object? BareItem()
        {
            if (AtEnd) return null;
            var c = Peek;
            if (c == '-' || IsDigit(c)) return Number();
            if (c == '"') return String();
            if (c == '*' || IsAlpha(c)) return TokenItem();
            if (c == ':') return ByteSequence();
            if (c == '?') return Boolean();
            return null;
        }

        private object? Number()
        {
            var start = _at;
            var negative = Take('-');
            var digitsStart = _at;
            while (!AtEnd && IsDigit(Peek)) _at++;
            var integerDigits = _at - digitsStart;
            if (integerDigits == 0) return null;
            if (!Take('.'))
            {
                if (integerDigits > 15) return null;
                var value = long.Parse(text.AsSpan(digitsStart, integerDigits), NumberStyles.None, CultureInfo.InvariantCulture);
                return negative ? -value : value;
            }
            if (integerDigits > 12) return null;
            var fractionStart = _at;
            while (!AtEnd && IsDigit(Peek)) _at++;
            var fractionDigits = _at - fractionStart;
            if (fractionDigits is 0 or > 3) return null;
            return decimal.Parse(text.AsSpan(start, _at - start), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        private string? String()
        {
            Take('"');
            var output = new StringBuilder();
            while (!AtEnd)
            {
                var c = text[_at++];
                if (c == '\\')
                {
                    if (AtEnd || text[_at] is not ('"' or '\\')) return null;
                    output.Append(text[_at++]);
                }
                else if (c == '"')
                {
                    return output.ToString();
                }
                else if (c is < ' ' or > '~')
                {
                    return null;
                }
                else
                {
                    output.Append(c);
                }
            }
            return null;
        }

        private Token TokenItem()
        {
            var start = _at++;
            while (!AtEnd && IsTokenChar(Peek)) _at++;
            return new Token(text[start.._at]);
        }

        private byte[]? ByteSequence()
        {
            Take(':');
            var start = _at;
            while (!AtEnd && (IsAlpha(Peek) || IsDigit(Peek) || Peek is '+' or '/' or '=')) _at++;
            var encoded = text[start.._at];
            if (!Take(':')) return null;
            try
            {
                return Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private object? Boolean()
        {
            Take('?');
            if (Take('1')) return true;
            if (Take('0')) return false;
            return null;
        }
    }
}
