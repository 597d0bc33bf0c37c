using System.Buffers.Binary;
using System.Security.Cryptography;

namespace FunctionalCache.Backends.Tags;

/// <summary>
/// A tag's stamp: a random 64-bit nonce kept under <see cref="KeyOf"/> in the tagged cache itself. Evicting the tag
/// stores a fresh nonce; an entry records the nonce it saw, so it is live only while its tag still holds that nonce.
/// </summary>
/// <remarks>
/// Random, not a counter: a culled or cleared stamp is recreated with a new nonce, and a counter restarting at its
/// first value would bring back every entry written before the cull. Two draws agree with probability 2^-64.
/// </remarks>
internal static class TagStamp
{
    /// <summary>The prefix of every stamp key; callers' keys should stay out of it.</summary>
    public const string KeyPrefix = "fc:tag:";

    /// <summary>The key under which <paramref name="tag"/>'s stamp is kept.</summary>
    public static string KeyOf(string tag) => KeyPrefix + tag;

    /// <summary>A fresh nonce.</summary>
    public static long NewNonce() => BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));

    /// <summary>The stored form of a nonce.</summary>
    public static byte[] Encode(long nonce)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, nonce);
        return bytes;
    }

    /// <summary>The nonce in a stored stamp, or None when the bytes are not one (then no entry matches it).</summary>
    public static long? Decode(byte[]? bytes) => bytes is { Length: 8 } ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : null;

    /// <summary>Checks a tag: stamp keys must be valid keys on every backend (memcached's included).</summary>
    /// <exception cref="ArgumentException">The tag is empty, too long, or holds whitespace or a control character.</exception>
    public static string Check(string tag, string parameter)
    {
        Guard.That(!string.IsNullOrEmpty(tag), parameter, "A tag must not be empty.");
        Guard.That(tag.Length <= 200, parameter, $"A tag must be at most 200 characters long; this one has {tag.Length}.");
        foreach (var c in tag)
            Guard.That(!char.IsWhiteSpace(c) && !char.IsControl(c), parameter, $"A tag must not hold whitespace or control characters: '{tag}'.");
        return tag;
    }

    /// <summary>The distinct, checked tags.</summary>
    public static string[] CheckAll(IEnumerable<string> tags, string parameter) =>
        Guard.NotNull(tags, parameter).Select(t => Check(Guard.NotNull(t, parameter), parameter)).Distinct(StringComparer.Ordinal).ToArray();
}
