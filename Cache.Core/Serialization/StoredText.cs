using System.Text;

namespace FunctionalCache;

/// <summary>Stored strings: strict UTF-8, decoded straight into the returned string.</summary>
internal static class StoredText
{
    // Strict: a lone surrogate or an invalid byte is refused instead of silently coming back altered.
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The string in <paramref name="payload"/>, or null when the bytes are not valid UTF-8.</summary>
    /// <remarks>
    /// ASCII (most keys' values: JSON text, identifiers, markup) is one validating scan and one widening copy into the
    /// new string; anything else goes through the strict decoder, which counts and then transcodes. Either way the
    /// returned string is the only allocation.
    /// </remarks>
    public static string? Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) return string.Empty;
        if (Ascii.IsValid(payload)) return string.Create(payload.Length, payload, static (chars, bytes) => Ascii.ToUtf16(bytes, chars, out _));
        try { return Strict.GetString(payload); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>The UTF-8 bytes of <paramref name="value"/>, or null when it holds a lone surrogate (not valid Unicode text).</summary>
    public static byte[]? Encode(string value)
    {
        try { return Strict.GetBytes(value); }
        catch (EncoderFallbackException) { return null; }
    }
}
