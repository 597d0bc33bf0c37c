namespace FunctionalCache.Backends.File;

/// <summary>
/// Striped locks that exclude threads of this process and other processes: one semaphore per stripe
/// in-process, and an OS lock on one file per stripe (<c>stripe-N.fcache-lock</c>) across processes.
/// </summary>
/// <remarks>
/// The OS lock is .NET's <see cref="FileShare.None"/>: <c>flock(LOCK_EX | LOCK_NB)</c> on Unix, a sharing
/// lock on Windows. The kernel drops it when the holder dies, so a killed process never leaves a stale
/// lock. A busy lock is retried with a growing pause up to <see cref="Timeout"/>. Lock files are never
/// deleted: removing one while another process holds it would let a third open a new one and both hold
/// "the" lock. Thread-safe.
/// </remarks>
internal sealed class FileLocks
{
    /// <summary>Stripes per directory: 16 lock files at most.</summary>
    public const int Stripes = 16;

    /// <summary>How long an operation waits for a busy lock before failing.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly string _directory;
    private readonly Action _ensureDirectory;

    public FileLocks(string directory, Action ensureDirectory)
    {
        _directory = directory;
        _ensureDirectory = ensureDirectory;
    }

    /// <summary>Takes stripe <paramref name="stripe"/>; dispose the result to release it.</summary>
    /// <exception cref="CacheBackendException">The lock stayed busy for <see cref="Timeout"/>, or its file cannot be opened.</exception>
    public async ValueTask<Held> Acquire(int stripe, CancellationToken cancellationToken)
    {
        var gate = _gates[stripe];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var path = Path.Join(_directory, $"stripe-{stripe:x}{FileSlot.LockSuffix}");
            var deadline = Environment.TickCount64 + (long)Timeout.TotalMilliseconds;
            var pause = 1;
            while (true)
            {
                try
                {
                    return new Held(Open(path), gate);
                }
                catch (DirectoryNotFoundException)
                {
                    _ensureDirectory();
                }
                catch (IOException e) when (e is not FileNotFoundException and not PathTooLongException)
                {
                    // Held by another process (a sharing violation): wait and retry, within the bound.
                    if (Environment.TickCount64 >= deadline)
                        throw new CacheBackendException($"The file cache lock '{path}' stayed busy for {Timeout.TotalSeconds:0} s.", e);
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    pause = Math.Min(pause * 2, 20);
                }
                catch (UnauthorizedAccessException e)
                {
                    throw new CacheBackendException($"The file cache cannot open its lock file '{path}': {e.Message}", e);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static FileStream Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    /// <summary>A held stripe: the OS lock and the in-process gate, released together.</summary>
    public sealed class Held : IDisposable
    {
        private readonly FileStream _handle;
        private readonly SemaphoreSlim _gate;

        public Held(FileStream handle, SemaphoreSlim gate)
        {
            _handle = handle;
            _gate = gate;
        }

        /// <summary>Releases the OS lock (closing the handle) and then the gate.</summary>
        public void Dispose()
        {
            _handle.Dispose();
            _gate.Release();
        }
    }
}
