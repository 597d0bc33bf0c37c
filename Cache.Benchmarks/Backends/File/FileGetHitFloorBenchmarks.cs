using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using FunctionalCache.Benchmarks.Backends.LocMem;
using Microsoft.Win32.SafeHandles;

namespace FunctionalCache.Benchmarks.Backends.FileBased;

/// <summary>
/// A read of a present key against its floor: the three system calls of a hit (<c>open</c>, one <c>read</c>,
/// <c>close</c>) on the very file <see cref="FunctionalCache.Backends.File.FileBasedCache"/> reads, with the path
/// already encoded and a reused buffer, so that the ratio is what the backend adds (key, path, header, expiry,
/// decode, the async surface) to the unavoidable I/O. Times are per read.
/// </summary>
/// <remarks>
/// Linux and macOS only (libc, as the backend's own fast path). The .NET row opens the same file with
/// <see cref="File.OpenHandle"/> and <see cref="RandomAccess.Read(SafeFileHandle, Span{byte}, long)"/>, which adds
/// the <c>flock</c> emulation of <see cref="FileShare"/> and an <c>fstat</c>. The culling rows of
/// <see cref="FileGetHitBenchmarks"/> do not matter here: a hit never lists or culls.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ShortConfig))]
public class FileGetHitFloorBenchmarks
{
    private const int ReadOnlyCloseOnExec = 0x0008_0000;

    private FileFixture _fixture = null!;
    private ICache _cache = null!;
    private byte[][] _paths = null!;
    private string[] _names = null!;
    private readonly byte[] _buffer = new byte[4096];

    [Params(1_000, 10_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new FileFixture(Entries, Room.Above);
        _cache = _fixture.Cache;
        _names = _fixture.Hits.Select(key => _fixture.Cache.FileNameOf(key)).ToArray();
        _paths = _names.Select(name => Encoding.UTF8.GetBytes(name + "\0")).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = FileFixture.Operations, Description = "floor: open/read/close (libc)")]
    public long Floor()
    {
        long total = 0;
        foreach (var path in _paths)
        {
            var fd = Open(ref MemoryMarshal.GetArrayDataReference(path), OperatingSystem.IsMacOS() ? 0x0100_0000 : ReadOnlyCloseOnExec);
            if (fd < 0) throw new IOException($"open failed: errno {Marshal.GetLastPInvokeError()}");
            total += Read(fd, ref MemoryMarshal.GetArrayDataReference(_buffer), (nuint)_buffer.Length);
            Close(fd);
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = FileFixture.Operations, Description = ".NET File.OpenHandle + RandomAccess.Read")]
    public long DotNet()
    {
        long total = 0;
        foreach (var name in _names)
        {
            using var handle = File.OpenHandle(name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            total += RandomAccess.Read(handle, _buffer, 0);
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = FileFixture.Operations, Description = "FileBasedCache.GetAsync")]
    public async Task<int> Get()
    {
        var total = 0;
        foreach (var key in _fixture.Hits) total += (await _cache.GetAsync<string>(key).ConfigureAwait(false)).MatchUnsafe(v => v.Length, () => 0);
        return total;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(ref byte path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, ref byte buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
