using System.Buffers.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache;

/// <summary>Integers as ASCII decimal bytes: the one stored form of a counter on every backend.</summary>
internal static class IntegerText
{
    /// <summary>The decimal bytes of <paramref name="value"/>.</summary>
    public static byte[] Format(long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out var written);
        return buffer[..written].ToArray();
    }

    /// <summary>The integer in <paramref name="payload"/> if it is exactly an optional '-' and ASCII digits that fit a long.</summary>
    public static Option<long> Parse(ReadOnlySpan<byte> payload) =>
        payload.Length > 0 && Utf8Parser.TryParse(payload, out long value, out var consumed) && consumed == payload.Length && payload[0] != (byte)'+'
            ? Some(value)
            : None;
}
