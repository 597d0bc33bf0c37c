using System.Security.Cryptography;
using System.Text;

namespace FunctionalCache.Backends.File;

/// <summary>Where one made key lives: its file, its UTF-8 bytes and its lock stripe.</summary>
/// <remarks>
/// The file name is the lowercase hex SHA-256 of the UTF-8 made key plus <see cref="Suffix"/>: 64 hex
/// digits, so no key (<c>../../etc/passwd</c>, an absolute path, NUL, 10 000 characters) can name a path.
/// SHA-256 rather than Django's MD5: keys often come from requests, and MD5 collisions can be made at
/// will, which would let one key overwrite another's file; the extra cost (well under a microsecond for
/// a short key) is noise beside a file system call.
/// </remarks>
internal readonly record struct FileSlot(string Path, byte[] Key, int Stripe)
{
    /// <summary>The suffix of every entry file.</summary>
    public const string Suffix = ".fcache";

    /// <summary>The suffix of a file being written or removed (renamed to or away from an entry).</summary>
    public const string TempSuffix = ".fcache-tmp";

    /// <summary>The suffix of a lock file (never deleted: another process may hold it).</summary>
    public const string LockSuffix = ".fcache-lock";

    /// <summary>Hex digits in a digest.</summary>
    public const int DigestLength = 64;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static readonly string Separator = System.IO.Path.DirectorySeparatorChar.ToString();

    /// <summary>The slot of <paramref name="madeKey"/> in <paramref name="directory"/>.</summary>
    public static FileSlot Of(string directory, string madeKey, int stripes)
    {
        var key = Encoding.UTF8.GetBytes(madeKey);
        Span<byte> digest = stackalloc byte[32];
        // One hash object per thread, reset by each use: a one-shot SHA256.HashData sets up and frees OpenSSL's context every time.
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(key);
        sha256.GetHashAndReset(digest);
        Span<char> hex = stackalloc char[DigestLength];
        Convert.TryToHexStringLower(digest, hex, out _);
        // One string for the path (Path.Join's rule: a separator unless the directory ends in one).
        var separator = System.IO.Path.EndsInDirectorySeparator(directory) ? "" : Separator;
        return new FileSlot(string.Concat(directory, separator, hex, Suffix), key, digest[0] % stripes);
    }

    /// <summary>A fresh temporary name beside the entry, unique to this call.</summary>
    public string TempPath() => $"{Path[..^Suffix.Length]}.{Random.Shared.NextInt64():x16}{TempSuffix}";

    /// <summary>True for a name this backend gives entries: 64 lowercase hex digits and the suffix.</summary>
    public static bool IsEntryName(ReadOnlySpan<char> name) =>
        name.Length == DigestLength + Suffix.Length && name.EndsWith(Suffix, StringComparison.Ordinal) && IsHex(name[..DigestLength]);

    /// <summary>True for a name this backend gives temporary files: digest, a dot, 16 hex digits, the suffix.</summary>
    public static bool IsTempName(ReadOnlySpan<char> name) =>
        name.Length == DigestLength + 1 + 16 + TempSuffix.Length && name.EndsWith(TempSuffix, StringComparison.Ordinal)
        && IsHex(name[..DigestLength]) && name[DigestLength] == '.' && IsHex(name.Slice(DigestLength + 1, 16));

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdef");
}
