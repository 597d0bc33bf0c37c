namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// Whether a server coming back from a dead period must be emptied before it serves again, and the one
/// <c>flush_all</c> that does it. Thread-safe.
/// </summary>
/// <remarks>
/// A write meant for a dead server is lost: refused during the back-off, or failed mid-flight (a write that timed
/// out may or may not have reached the server). The server may then still hold the value that write replaced, and
/// would serve it after the back-off as if the write had never been made. So every lost write, delete, touch or
/// counter is counted here, and a revived server with losses that no flush has covered yet is sent
/// <c>flush_all</c> before any other request; requests that arrive meanwhile wait for that same flush. Failed
/// reads lose nothing and are not counted. With <see cref="MemcachedOptions.FlushOnRevival"/> off nothing is counted.
/// </remarks>
internal sealed class MemcachedRevival(MemcachedServer server, MemcachedOptions options)
{
    private readonly Lock _gate = new();
    private long _lost;
    private long _flushedThrough;
    private Task? _flushing;

    /// <summary>True while a loss is not yet covered by a flush: the server must be flushed before it serves.</summary>
    public bool IsDue => Volatile.Read(ref _lost) != Volatile.Read(ref _flushedThrough);

    /// <summary>Counts a write, delete, touch or counter that did not reach the server, or may not have.</summary>
    public void Lost()
    {
        if (options.FlushOnRevival) Interlocked.Increment(ref _lost);
    }

    /// <summary>The flush that makes <see cref="IsDue"/> false: the one running, or a new one.</summary>
    /// <exception cref="IOException">The server refused <c>flush_all</c> or broke the connection.</exception>
    /// <exception cref="TimeoutException">The server did not accept or answer in time.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The server refused the connection.</exception>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (_flushing is { IsCompleted: false } running) return running;
            return _flushing = FlushAllAsync();
        }
    }

    private async Task FlushAllAsync()
    {
        // Losses counted after this point (a failure during the flush) are not covered: they need a flush of their own.
        var covering = Volatile.Read(ref _lost);
        // A connection of its own: the pipeline and the pool are closed while the server is dead, and no request
        // may open them before the flush is done. No caller's token: the flush serves every waiting caller.
        using var connection = await MemcachedConnection.OpenAsync(server, options, CancellationToken.None).ConfigureAwait(false);
        connection.Begin(CancellationToken.None);
        connection.Text("flush_all"u8).EndLine();
        await connection.SendAsync().ConfigureAwait(false);
        var reply = await connection.ReadAsync().ConfigureAwait(false);
        connection.End();
        if (reply.Reply != MemcachedReply.Ok)
            throw new IOException($"memcached server {server} answered flush_all with {reply.Reply}; the client flushes a server that missed writes while it was dead, so that it cannot serve values older than them. Allow flush_all on the server (no -F), or set flush_on_revival=false.");
        // One flush runs at a time, and each covers at least what the one before it covered.
        Volatile.Write(ref _flushedThrough, covering);
    }
}
