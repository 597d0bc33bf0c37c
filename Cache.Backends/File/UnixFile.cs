using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace FunctionalCache.Backends.File;

/// <summary>
/// Opening and reading a file with plain <c>open(2)</c> and <c>read(2)</c>, on Linux and macOS: the
/// entry read of a cache hit.
/// </summary>
/// <remarks>
/// <see cref="System.IO.File.OpenHandle"/> emulates <see cref="FileShare"/> on Unix with an advisory
/// <c>flock</c> taken after the open and released before the close, and stats the file to refuse a
/// directory: four system calls of a hit's seven that protect nothing here, since entry files are
/// replaced by rename and never written in place (the only switch that turns the locks off,
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>, is process-wide). The descriptor is owned by a
/// <see cref="SafeFileHandle"/> that never locked, so disposing it is a bare <c>close</c>, and
/// <see cref="RandomAccess"/> works on it. If libc cannot be bound, <see cref="IsSupported"/> turns
/// false and callers use <see cref="System.IO.File.OpenHandle"/> again. Thread-safe (stateless but
/// for that flag).
/// </remarks>
internal static class UnixFile
{
    private const int ENOENT = 2;
    private const int EINTR = 4;

    // O_RDONLY (0) | O_CLOEXEC, whose value differs between Linux and macOS.
    private static readonly int ReadOnlyFlags = OperatingSystem.IsMacOS() ? 0x0100_0000 : 0x0008_0000;

    private static volatile bool s_supported =
        OperatingSystem.IsMacOS()
        || OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>True where <see cref="OpenRead"/> may be called: Linux on x64 or Arm64, and macOS, once libc has bound.</summary>
    public static bool IsSupported => s_supported;

    /// <summary>The file opened for reading without a lock, or null when it (or its directory) does not exist (<c>ENOENT</c>).</summary>
    /// <exception cref="IOException">Any other failure, <c>ENOTDIR</c> included (a path component is not a directory: not an absent entry); the message is the system's.</exception>
    /// <exception cref="PlatformNotSupportedException">libc could not be bound; <see cref="IsSupported"/> is now false.</exception>
    public static SafeFileHandle? OpenRead(string path)
    {
        var fd = OpenDescriptor(path);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// The file opened for reading without a lock, as a bare descriptor that the caller must <see cref="Close"/>; -1 when
    /// it (or its directory) does not exist (<c>ENOENT</c>).
    /// </summary>
    /// <remarks>
    /// For a hit: a <see cref="SafeFileHandle"/> is a finalizable object and every call through it takes and drops a
    /// reference, which a descriptor opened, read and closed within one method does not need.
    /// </remarks>
    /// <exception cref="IOException">Any other failure, <c>ENOTDIR</c> included; the message is the system's.</exception>
    /// <exception cref="PlatformNotSupportedException">libc could not be bound; <see cref="IsSupported"/> is now false.</exception>
    public static int OpenDescriptor(string path)
    {
        // The path as a NUL-terminated UTF-8 string; an entry path is short, so it fits on the stack.
        var size = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        Span<byte> name = size <= 1024 ? stackalloc byte[size] : new byte[size];
        var length = Encoding.UTF8.GetBytes(path, name);
        name[length] = 0;
        int fd;
        try
        {
            do fd = Open(ref MemoryMarshal.GetReference(name), ReadOnlyFlags);
            while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_supported = false;
            throw new PlatformNotSupportedException("libc's open and read could not be bound.", e);
        }
        if (fd >= 0) return fd;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ENOENT) return -1;
        throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    /// <summary>One <c>read(2)</c> from the file position into <paramref name="buffer"/>: the bytes read, 0 at the end of the file.</summary>
    /// <remarks>Fewer bytes than asked mean the end of a regular file in all but rare cases (a signal); a caller for whom it matters reads again.</remarks>
    /// <exception cref="IOException">The read failed; the message is the system's.</exception>
    public static int Read(int fd, Span<byte> buffer)
    {
        nint n;
        do n = Read(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
        while (n < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (n >= 0) return (int)n;
        var errno = Marshal.GetLastPInvokeError();
        throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    /// <summary>Closes a descriptor from <see cref="OpenDescriptor"/> (once; not retried on <c>EINTR</c>, which on Linux has closed it already).</summary>
    public static void Close(int fd) => CloseDescriptor(fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(ref byte path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int CloseDescriptor(int fd);
}
