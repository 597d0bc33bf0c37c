using System.Globalization;
using System.Text;

namespace FunctionalCache.Cli;

/// <summary>A stored value as the text <c>fcache get</c> prints, and what it says when the value is not text.</summary>
/// <remarks>
/// <c>get</c> reads the raw bytes and decodes them here, rather than asking the cache for a string, so that a value
/// that is not UTF-8 (bytes stored by a program) is told apart from a backend failure: it has an exit code of its own,
/// <see cref="ExitCodes.NotText"/>. Thread-safe (stateless).
/// </remarks>
internal static class StoredText
{
    // Strict, as the library's serializer: invalid bytes are refused, never printed as U+FFFD.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes as UTF-8 text, or null when they are not valid UTF-8.</summary>
    public static string? TryDecode(byte[] bytes)
    {
        try
        {
            return Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The message for a value that is not text: it names the key and the value's size.</summary>
    public static string NotTextMessage(string key, long size) =>
        $"the value under '{key}' is not UTF-8 text ({Size(size)}); fcache reads and writes text only";

    /// <summary>A size for people: <c>1 byte</c>, <c>3 bytes</c>, <c>4.5 KB</c>, <c>2.1 MB</c> (decimal units).</summary>
    public static string Size(long bytes) => bytes switch
    {
        1 => "1 byte",
        < 1000 => $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes",
        < 1_000_000 => $"{(bytes / 1e3).ToString("0.#", CultureInfo.InvariantCulture)} KB",
        _ => $"{(bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} MB",
    };
}
