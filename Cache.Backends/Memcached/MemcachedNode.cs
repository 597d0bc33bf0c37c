using System.Collections.Concurrent;
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
/// The first request after the back-off tries again.
/// </remarks>
internal sealed class MemcachedNode(MemcachedServer server, MemcachedOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.PoolSize, options.PoolSize);
    private readonly ConcurrentBag<MemcachedConnection> _idle = [];
    private long _deadUntil = long.MinValue;
    private volatile bool _disposed;

    /// <summary>The server.</summary>
    public MemcachedServer Server { get; } = server;

    /// <summary>True while the server is in its back-off period.</summary>
    public bool IsDead => Environment.TickCount64 < Volatile.Read(ref _deadUntil);

    /// <summary>Runs one request round on a pooled connection.</summary>
    /// <exception cref="CacheBackendException">The server is dead, or failed during the round (it is then marked dead).</exception>
    public async ValueTask<T> RunAsync<TState, T>(TState state, Func<MemcachedConnection, TState, ValueTask<T>> round, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDead) throw new CacheBackendException($"memcached server {Server} is marked dead after a failure; it is retried after the back-off of {options.DeadServerBackOff.TotalSeconds:0.###} s.");
        // Waiting for a free connection is bounded like any other wait on the server.
        if (!await _slots.WaitAsync(options.ConnectTimeout + options.ReadTimeout, cancellationToken).ConfigureAwait(false))
            throw new CacheBackendException($"No connection to memcached server {Server} became free within {(options.ConnectTimeout + options.ReadTimeout).TotalMilliseconds} ms (pool size {options.PoolSize}).");
        MemcachedConnection? connection = null;
        try
        {
            if (!_idle.TryTake(out connection)) connection = await MemcachedConnection.OpenAsync(Server, options, cancellationToken).ConfigureAwait(false);
            connection.Begin(cancellationToken);
            T result;
            try
            {
                result = await round(connection, state).ConfigureAwait(false);
            }
            finally
            {
                connection.End();
            }
            if (!_disposed) _idle.Add(connection);
            else connection.Dispose();
            connection = null;
            return result;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            MarkDead();
            throw new CacheBackendException($"memcached server {Server} failed ({e.Message}); it is skipped for {options.DeadServerBackOff.TotalSeconds:0.###} s.", e);
        }
        finally
        {
            connection?.Dispose();
            _slots.Release();
        }
    }

    private void MarkDead()
    {
        Volatile.Write(ref _deadUntil, Environment.TickCount64 + (long)options.DeadServerBackOff.TotalMilliseconds);
        while (_idle.TryTake(out var stale)) stale.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection)) connection.Dispose();
    }
}
