namespace FunctionalCache.Backends.File;

public sealed partial class FileBasedCache
{
    /// <summary>
    /// After the system answered "not found" (or <c>ENOTDIR</c>): null when the entry, or the whole cache
    /// directory, is really absent — a miss — otherwise the failure to throw, because a path on the way to
    /// the cache directory exists and is not a directory.
    /// </summary>
    /// <remarks>
    /// .NET reports <c>ENOTDIR</c> as <see cref="DirectoryNotFoundException"/> (and a rename's as
    /// <see cref="FileNotFoundException"/>), the same as a missing directory, so a regular file where the
    /// directory should be would read as an empty cache forever. Only the "not found" path pays for this check:
    /// a hit never does, and on Linux and macOS a plain miss never does either (<see cref="UnixFile"/> tells
    /// <c>ENOENT</c> from <c>ENOTDIR</c>). The message states what the check found; the system's answer is the
    /// inner exception.
    /// </remarks>
    private CacheBackendException? Unreachable(Exception cause)
    {
        for (var dir = CacheDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (System.IO.Directory.Exists(dir)) return null;
            if (Path.Exists(dir)) return new CacheBackendException($"The file cache directory '{CacheDirectory}' is unusable: '{dir}' is not a directory.", cause);
        }
        return null;
    }

    /// <summary>Throws the failure of <see cref="Unreachable"/>, if any: for the "not found" branches, which are otherwise a miss.</summary>
    /// <exception cref="CacheBackendException">A path on the way to the cache directory is not a directory.</exception>
    private void ThrowIfUnreachable(Exception cause)
    {
        if (Unreachable(cause) is { } failure) throw failure;
    }
}
