using Microsoft.Win32.SafeHandles;

namespace FunctionalCache.Backends.File;

public sealed partial class FileBasedCache
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the directory (mode 0700, parents too) unless this instance already has.</summary>
    /// <exception cref="CacheBackendException">The directory cannot be created.</exception>
    private void EnsureDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(CacheDirectory);
            else
            {
                // CreateDirectory(path, mode) gives the mode to the last directory only; every parent it
                // creates must be 0700 too (Django's CVE-2020-24584), so create them one by one, top down.
                var missing = new Stack<string>();
                for (var dir = CacheDirectory; dir is not null && !System.IO.Directory.Exists(dir); dir = Path.GetDirectoryName(dir)) missing.Push(dir);
                while (missing.TryPop(out var dir)) System.IO.Directory.CreateDirectory(dir, OwnerOnly);
            }
            _directoryReady = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache directory '{CacheDirectory}' cannot be created: {e.Message}", e);
        }
    }

    /// <summary>Bytes asked of the first read of an entry: most entries fit, and then one read is the whole file.</summary>
    private const int FirstRead = 4096;

    [ThreadStatic]
    private static byte[]? t_firstRead;

    /// <summary>
    /// True with the whole file when it exists, false when it does not (a miss, also when a racing process removed
    /// it). A small file is returned in a per-thread buffer: use it before this thread reads another file.
    /// </summary>
    /// <remarks>
    /// A cache hit on a small entry is three system calls on Linux and macOS (open, read, close on a bare
    /// descriptor; see <see cref="UnixFile"/>) and no copy of the file: a first read that comes back short
    /// holding a whole entry by its header's lengths is the whole file. Any other first read (a larger file,
    /// a damaged one, a read cut short by a signal) is followed by reading on, by the file's length, into a
    /// new array. (Only a signal cutting the read exactly at the end of the entry in a file with bytes after
    /// it could let that file pass for whole: its entry is read.)
    /// </remarks>
    /// <exception cref="CacheBackendException">Any other I/O failure, or a location that is not a directory.</exception>
    private bool TryReadFile(string path, out ReadOnlySpan<byte> file)
    {
        file = default;
        try
        {
            // A buffer per thread rather than stackalloc: this one need not be zeroed on every read, and it can be returned.
            var start = t_firstRead ??= new byte[FirstRead];
            if (UnixFile.IsSupported && TryReadUnlocked(path, start, out var found, out file)) return found;
            using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file = ReadWhole(handle, start, RandomAccess.Read(handle, start, 0));
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            ThrowIfUnreachable(e);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot read '{path}': {e.Message}", e);
        }
    }

    /// <summary>The read through <see cref="UnixFile"/>'s bare descriptor; false when libc did not bind (the caller falls back to .NET).</summary>
    private static bool TryReadUnlocked(string path, byte[] start, out bool found, out ReadOnlySpan<byte> file)
    {
        file = default;
        found = false;
        int fd;
        try
        {
            fd = UnixFile.OpenDescriptor(path);
        }
        catch (PlatformNotSupportedException)
        {
            // libc did not bind; UnixFile is now off for good.
            return false;
        }
        if (fd < 0) return true;
        try
        {
            var n = UnixFile.Read(fd, start);
            if (n < start.Length && FileEntry.TryRead(start.AsSpan(0, n), out _)) file = start.AsSpan(0, n);
            else
            {
                // Rare (a large or damaged file): RandomAccess over the same descriptor, which stays ours to close.
                using var handle = new SafeFileHandle(fd, ownsHandle: false);
                file = ReadRest(handle, start.AsSpan(0, n));
            }
            found = true;
            return true;
        }
        finally
        {
            UnixFile.Close(fd);
        }
    }

    /// <summary>The whole file, whose first <paramref name="n"/> bytes are in <paramref name="start"/>.</summary>
    private static ReadOnlySpan<byte> ReadWhole(SafeFileHandle handle, byte[] start, int n) =>
        n < start.Length && FileEntry.TryRead(start.AsSpan(0, n), out _) ? start.AsSpan(0, n) : ReadRest(handle, start.AsSpan(0, n));

    /// <summary>The whole file, of which <paramref name="start"/> has been read from offset 0.</summary>
    private static byte[] ReadRest(SafeFileHandle handle, ReadOnlySpan<byte> start)
    {
        var length = RandomAccess.GetLength(handle);
        // No entry we write comes near this; a larger file is not ours and reads as a corrupt (empty) one.
        if (length > Array.MaxLength) return [];
        var buffer = new byte[length];
        // A file shorter than what was read changed meanwhile (not one of ours, which are never rewritten): read it again.
        var read = start.Length <= buffer.Length ? start.Length : 0;
        start[..read].CopyTo(buffer);
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0) return buffer[..read];
            read += n;
        }
        return buffer;
    }

    /// <summary>The first <paramref name="count"/> bytes (fewer if the file is shorter), or null when it does not exist.</summary>
    /// <exception cref="CacheBackendException">Any other I/O failure, or a location that is not a directory.</exception>
    private byte[]? ReadStart(string path, int count)
    {
        try
        {
            using var handle = OpenForRead(path);
            if (handle is null) return null;
            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
                if (n == 0) break;
                read += n;
            }
            return buffer[..read];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            ThrowIfUnreachable(e);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot read '{path}': {e.Message}", e);
        }
    }

    /// <summary>The file opened for reading, or null when it does not exist: through <see cref="UnixFile"/> where it works, otherwise through .NET with every kind of sharing allowed.</summary>
    private static SafeFileHandle? OpenForRead(string path)
    {
        if (UnixFile.IsSupported)
        {
            try
            {
                return UnixFile.OpenRead(path);
            }
            catch (PlatformNotSupportedException)
            {
                // libc did not bind; UnixFile is now off for good.
            }
        }
        return System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>Writes <paramref name="content"/> to a temporary file beside the entry of <paramref name="slot"/> and renames it over the entry.</summary>
    /// <exception cref="CacheBackendException">The directory cannot be created or written.</exception>
    private void Publish(FileSlot slot, byte[] content)
    {
        if (!_directoryReady) EnsureDirectory();
        var temp = slot.TempPath();
        try
        {
            try
            {
                WriteNew(temp, content);
                System.IO.File.Move(temp, slot.Path, overwrite: true);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // Someone removed the directory (or our temporary file with it): recreate it and write once more.
                EnsureDirectory();
                WriteNew(temp, content);
                System.IO.File.Move(temp, slot.Path, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot write '{slot.Path}' in '{CacheDirectory}': {e.Message}", e);
        }
    }

    private static void WriteNew(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(content);
    }

    /// <summary>Renames the entry away to a private name (so no racing writer's new file is lost) and returns that name; null when there was none.</summary>
    /// <exception cref="CacheBackendException">Any I/O failure but a missing file, or a location that is not a directory.</exception>
    private string? Claim(FileSlot slot)
    {
        var tomb = slot.TempPath();
        try
        {
            // overwrite: true is a plain rename(2); without it .NET links and unlinks, which could unlink a racing writer's new file.
            System.IO.File.Move(slot.Path, tomb, overwrite: true);
            return tomb;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A rename reports ENOTDIR as a missing file too.
            ThrowIfUnreachable(e);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot remove '{slot.Path}': {e.Message}", e);
        }
    }

    /// <summary>Deletes a file; a missing one is fine.</summary>
    /// <exception cref="CacheBackendException">Any other I/O failure, or a location that is not a directory.</exception>
    private void Delete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (DirectoryNotFoundException e)
        {
            ThrowIfUnreachable(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreachable(e) ?? new CacheBackendException($"The file cache cannot remove '{path}': {e.Message}", e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort after a failed write; the sweep removes what is left after a minute.
        }
    }

    private static bool Exists(string path) => System.IO.File.Exists(path);
}
