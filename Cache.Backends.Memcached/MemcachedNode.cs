using System.Net.Sockets;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// One server as the client sees it: a bounded pool of connections and whether the server is dead.
/// Thread-safe.
/// </summary>
/// <remarks>
/// A connection that fails mid-request is thrown away (its stream state is unknown). A refused or timed-out
/// server is marked dead for <see cref="MemcachedOptions.DeadServerBackOff"/>: requests fail at once without
/// touching the network, and the pool's idle connections are closed (they would be stale after a restart).
/// The first request after the back-off tries again; if a write, delete, touch or counter for the server was lost
/// meanwhile (or failed mid-flight), the server is flushed first (<see cref="MemcachedRevival"/>), so that it never
/// serves a value older than a write it missed. Requests say whether they may write (<c>mayWrite</c>): by default
/// every request may, so a lost read also counts until its caller says otherwise.
/// </remarks>
internal sealed class MemcachedNode(MemcachedServer server, MemcachedOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.PoolSize, options.PoolSize);
    // A plain locked stack: rented on one thread and returned on another (async continuations), where a
    // ConcurrentBag's thread-local lists would make every take a steal.
    private readonly Stack<MemcachedConnection> _idle = new(options.PoolSize);
    private readonly MemcachedRevival _revival = new(server, options);
    private Task<MemcachedPipeline>? _pipeline;
    private long _deadUntil = long.MinValue;
    private volatile bool _disposed;

    /// <summary>The server.</summary>
    public MemcachedServer Server { get; } = server;

    /// <summary>True while the server is in its back-off period.</summary>
    public bool IsDead => Environment.TickCount64 < Volatile.Read(ref _deadUntil);

    /// <summary>
    /// Sends one request that gets exactly one answer on the node's shared pipeline (see <see cref="MemcachedPipeline"/>)
    /// and reads the answer with <paramref name="read"/>. <paramref name="mayWrite"/> is false for a request that changes
    /// nothing on the server (a get, a has-key): its failure loses no write.
    /// </summary>
    /// <exception cref="CacheBackendException">
    /// The server is dead, failed during the request or the flush before it, or answered what <paramref name="read"/>
    /// rejects with an <see cref="IOException"/> (it is then marked dead).
    /// </exception>
    public async ValueTask<T> RequestAsync<TState, T>(TState state, Action<MemcachedRequestText, TState> write, Func<MemcachedAnswer, TState, T> read, CancellationToken cancellationToken, bool mayWrite = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDead) throw DeadNow(mayWrite);
        try
        {
            if (_revival.IsDue) await _revival.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var pipeline = await PipelineAsync().ConfigureAwait(false);
            return read(await pipeline.RequestAsync(state, write, cancellationToken).ConfigureAwait(false), state);
        }
        catch (Exception e) when (IsFault(e, cancellationToken))
        {
            throw Failed(e, mayWrite);
        }
    }

    private ValueTask<MemcachedPipeline> PipelineAsync()
    {
        var current = Volatile.Read(ref _pipeline);
        return current is { IsCompletedSuccessfully: true } && !current.Result.IsBroken ? new(current.Result) : OpenPipelineAsync(current);
    }

    // One caller opens; the others await the same attempt. A broken or failed pipeline is replaced, an opening one awaited.
    private async ValueTask<MemcachedPipeline> OpenPipelineAsync(Task<MemcachedPipeline>? seen)
    {
        Task<MemcachedPipeline> opening;
        lock (_idle)
        {
            // Marked dead since this caller looked (DisposeIdle cleared the pipeline): the request fails as a fault of
            // the server, a counted miss, instead of opening a connection inside the back-off or awaiting nothing.
            if (_pipeline is null && seen is not null) throw new IOException($"The connection to {Server} was closed: the server was marked dead.");
            if (_pipeline != seen || seen is { IsCompleted: false }) opening = _pipeline!;
            else
            {
                if (seen is { IsCompletedSuccessfully: true }) seen.Result.Dispose();
                // The shared connection outlives any one caller, so no caller's token may cancel its opening.
                opening = _pipeline = MemcachedPipeline.OpenAsync(Server, options, CancellationToken.None).AsTask();
            }
        }
        return await opening.ConfigureAwait(false);
    }

    /// <summary>Runs one request round on a pooled connection.</summary>
    /// <exception cref="CacheBackendException">The server is dead, or failed during the round (it is then marked dead).</exception>
    public async ValueTask<T> RunAsync<TState, T>(TState state, Func<MemcachedConnection, TState, ValueTask<T>> round, CancellationToken cancellationToken)
    {
        var connection = await RentAsync(cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await round(connection, state).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Abandon(connection);
            if (IsFault(e, cancellationToken)) throw Failed(e);
            throw;
        }
        Return(connection);
        return result;
    }

    /// <summary>
    /// A connection for one request round, begun with <paramref name="cancellationToken"/>: give it back with
    /// <see cref="Return"/> after a clean round, or <see cref="Abandon"/> it after any exception (and, when
    /// <see cref="IsFault"/>, throw <see cref="Failed"/>). Synchronous when a slot and an idle connection are free.
    /// <paramref name="mayWrite"/> is false for a round that changes nothing on the server (a get of many keys): its
    /// failure loses no write.
    /// </summary>
    /// <exception cref="CacheBackendException">
    /// The server is dead, no slot became free in time, or connecting or the flush before it failed (it is then marked dead).
    /// </exception>
    public ValueTask<MemcachedConnection> RentAsync(CancellationToken cancellationToken, bool mayWrite = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDead) throw DeadNow(mayWrite);
        if (_revival.IsDue) return RentAfterFlushAsync(cancellationToken, mayWrite);
        // Waiting for a free connection is bounded like any other wait on the server.
        var wait = _slots.WaitAsync(options.ConnectTimeout + options.ReadTimeout, cancellationToken);
        if (wait.IsCompletedSuccessfully && wait.Result)
        {
            MemcachedConnection? idle;
            lock (_idle) _idle.TryPop(out idle);
            if (idle is not null)
            {
                idle.Begin(cancellationToken);
                return new(idle);
            }
        }
        return RentSlowAsync(wait, cancellationToken, mayWrite);
    }

    private async ValueTask<MemcachedConnection> RentAfterFlushAsync(CancellationToken cancellationToken, bool mayWrite)
    {
        try
        {
            await _revival.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsFault(e, cancellationToken))
        {
            throw Failed(e, mayWrite);
        }
        return await RentAsync(cancellationToken, mayWrite).ConfigureAwait(false);
    }

    private async ValueTask<MemcachedConnection> RentSlowAsync(Task<bool> wait, CancellationToken cancellationToken, bool mayWrite)
    {
        if (!await wait.ConfigureAwait(false))
            throw new CacheBackendException($"No connection to memcached server {Server} became free within {(options.ConnectTimeout + options.ReadTimeout).TotalMilliseconds} ms (pool size {options.PoolSize}).");
        MemcachedConnection? connection = null;
        try
        {
            lock (_idle) _idle.TryPop(out connection);
            connection ??= await MemcachedConnection.OpenAsync(Server, options, cancellationToken).ConfigureAwait(false);
            connection.Begin(cancellationToken);
            return connection;
        }
        catch (Exception e)
        {
            connection?.Dispose();
            _slots.Release();
            if (IsFault(e, cancellationToken)) throw Failed(e, mayWrite);
            throw;
        }
    }

    /// <summary>Ends a clean round: the connection goes back to the pool.</summary>
    public void Return(MemcachedConnection connection)
    {
        connection.End();
        var keep = false;
        if (!_disposed)
        {
            lock (_idle)
            {
                if (!_disposed)
                {
                    _idle.Push(connection);
                    keep = true;
                }
            }
        }
        if (!keep) connection.Dispose();
        _slots.Release();
    }

    /// <summary>Ends a round that threw: the connection's stream state is unknown, so it is closed.</summary>
    public void Abandon(MemcachedConnection connection)
    {
        connection.End();
        connection.Dispose();
        _slots.Release();
    }

    private CacheBackendException DeadNow(bool mayWrite)
    {
        if (mayWrite) _revival.Lost();
        return new($"memcached server {Server} is marked dead after a failure; it is retried after the back-off of {options.DeadServerBackOff.TotalSeconds:0.###} s.");
    }

    /// <summary>True when <paramref name="e"/> is the server's fault (not the caller's cancellation): the server is to be marked dead.</summary>
    public static bool IsFault(Exception e, CancellationToken cancellationToken) =>
        e is SocketException or IOException or TimeoutException or ObjectDisposedException && !cancellationToken.IsCancellationRequested;

    /// <summary>
    /// Marks the server dead and says why, for the caller to throw. Unless <paramref name="mayWrite"/> is false the
    /// request counts as a lost write (it may or may not have reached the server): the server is flushed when it revives.
    /// </summary>
    public CacheBackendException Failed(Exception e, bool mayWrite = true)
    {
        MarkDead();
        // After MarkDead: no request can start the flush before the back-off, which lets the server work through
        // what was already in its socket buffers first.
        if (mayWrite) _revival.Lost();
        return new CacheBackendException($"memcached server {Server} failed ({e.Message}); it is skipped for {options.DeadServerBackOff.TotalSeconds:0.###} s.", e);
    }

    private void MarkDead()
    {
        Volatile.Write(ref _deadUntil, Environment.TickCount64 + (long)options.DeadServerBackOff.TotalMilliseconds);
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        MemcachedConnection[] stale;
        Task<MemcachedPipeline>? pipeline;
        lock (_idle)
        {
            stale = _idle.ToArray();
            _idle.Clear();
            pipeline = _pipeline;
            _pipeline = null;
        }
        foreach (var connection in stale) connection.Dispose();
        // One still opening is closed as soon as it opens.
        pipeline?.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, TaskScheduler.Default);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }
}
