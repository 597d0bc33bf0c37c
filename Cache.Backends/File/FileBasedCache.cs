using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.File;

/// <summary>
/// The file system cache (<c>file:///var/tmp/cache?max_entries=10000</c>): one flat directory, one file
/// per entry, shared by every instance and process that points at the directory.
/// </summary>
/// <remarks>
/// <para>
/// Django's <c>FileBasedCache</c>, hardened. The directory is created on demand with mode 0700
/// (intermediate directories too) and recreated if it disappears. An entry's file name is the hex SHA-256
/// of its made key (see <see cref="FileNameOf"/>), so no key can name a path. A file holds a small header
/// (magic, format version, expiry, a null flag, lengths), the made key and the payload. Every write goes
/// to a temporary file in the same directory that is then renamed over the entry, so a reader sees the
/// old or the new file, never a torn one, and a killed writer leaves at most an orphan temporary file
/// (swept after a minute). A corrupt, truncated or foreign-format entry file is a miss and is removed.
/// Files are not flushed to the disk before the rename: a process crash loses nothing written, a power
/// failure may lose recent writes, and a file the kernel never wrote out reads as corrupt (a miss).
/// </para>
/// <para>
/// <b>Atomicity.</b> <c>Add</c>, <c>Increment</c>/<c>Decrement</c> and <c>Touch</c> run under an OS file
/// lock (one of 16 striped lock files, <c>flock</c> on Unix) that excludes threads and processes alike,
/// and the kernel releases it if the holder dies; they are atomic with respect to one another. <c>Set</c>
/// and <c>Delete</c> take no lock (a rename and an unlink are atomic on their own), so a <c>Set</c> racing
/// an <c>Add</c> or <c>Increment</c> of the same key may be overwritten by it; <c>Delete</c> claims the file
/// by renaming it away, so of two racing deletes one reports the entry.
/// </para>
/// <para>
/// <b>Culling.</b> Django's rule — when a new key arrives and the cache is full, remove
/// <see cref="CachePolicy.CullCount"/> entries (all with <c>CullFrequency</c> 0) — but expired files go
/// first, then those nearest their deadline, and the directory is not listed on every write: the
/// instance keeps an approximate count (one listing at the first write, then adjusted by its own writes
/// and removals) and lists only when that count reaches <see cref="CachePolicy.MaxEntries"/>. The listing
/// recounts, so the cull also corrects the count. After any write by this instance the directory holds at
/// most <c>MaxEntries</c> entries as far as the instance knows, also when its threads write new keys at once: a new
/// entry is counted before its file is written, and a cull lists the directory only while none is half-way. Caveat: several processes (or instances)
/// each keep their own count, so entries written by the others since this one last listed are not seen;
/// the directory may then exceed <c>MaxEntries</c> by those entries until one of the writers culls.
/// </para>
/// <para>
/// Expiry follows <see cref="CacheContext.Time"/>: an entry is gone from its deadline on. Every I/O
/// failure except a missing entry or a missing directory (a miss) surfaces as <see cref="CacheBackendException"/>
/// naming the path, with the cause inside: on every operation, a location that is (or lies under) a regular
/// file fails with "The file cache directory '…' is unusable: '…' is not a directory." rather than reading as
/// an empty cache. Operations complete synchronously (small files; no thread-pool hop).
/// Thread-safe, and safe to share between processes.
/// </para>
/// </remarks>
public sealed partial class FileBasedCache : CacheBase
{
    /// <inheritdoc/>
    public override string BackendName => "file";

    private readonly FileLocks _locks;
    private readonly Lock _cullGate = new();
    // New entry files of this instance are written under the shared side; a count or cull takes the exclusive side,
    // so it never lists the directory while one of them is counted but not yet there.
    private readonly ReaderWriterLockSlim _room = new();
    private volatile bool _directoryReady;
    private volatile bool _counted;
    private int _count;

    /// <summary>A cache over <paramref name="directory"/> (made absolute; created on the first write).</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or not a valid path.</exception>
    public FileBasedCache(string directory, CachePolicy policy, CacheContext context)
        : base(policy, context, KeyCheck.Warn)
    {
        Guard.That(!string.IsNullOrWhiteSpace(directory), nameof(directory), "The cache directory must not be empty.");
        CacheDirectory = Path.GetFullPath(directory);
        _locks = new FileLocks(CacheDirectory, EnsureDirectory);
    }

    /// <summary>A cache over <paramref name="directory"/> with Django's default policy, the system clock and JSON values.</summary>
    public FileBasedCache(string directory) : this(directory, CachePolicy.Default, CacheContext.Default) { }

    /// <summary>The absolute path of the cache directory.</summary>
    public string CacheDirectory { get; }

    /// <summary>The directory: every file cache on it in this process shares get-or-set flights.</summary>
    internal override object StoreIdentity => "file:" + Path.TrimEndingDirectorySeparator(CacheDirectory);

    /// <summary>
    /// The number of entry files as this instance counts them (see the culling remarks): exact for a
    /// directory only this instance writes, approximate otherwise. Lists the directory once if nothing
    /// has been counted yet.
    /// </summary>
    public int ApproximateCount
    {
        get
        {
            EnsureCounted();
            return Volatile.Read(ref _count);
        }
    }

    /// <summary>The path of the file that holds <paramref name="key"/> at <paramref name="version"/> (the policy's by default).</summary>
    /// <remarks>Django's <c>_key_to_file</c>: for tests and tools; the file may or may not exist.</remarks>
    public string FileNameOf(string key, int? version = null) =>
        SlotOf(new CacheKey(Guard.NotNull(key, nameof(key)), version ?? Policy.Version)).Path;

    private FileSlot SlotOf(CacheKey key) => FileSlot.Of(CacheDirectory, Policy.MakeKey(key), FileLocks.Stripes);
}
