using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// One <see cref="ConnectionMultiplexer"/> for one cache: connected in the background from construction, reconnecting
/// by itself, and every client fault turned into <see cref="CacheBackendException"/> naming the servers (never the
/// password).
/// </summary>
/// <remarks>
/// Commands fail at once while no connection is up (<see cref="BacklogPolicy.FailFast"/>): a cache answers a miss now
/// rather than queueing reads behind a dead server. Thread-safe.
/// </remarks>
internal sealed class RedisConnection : IDisposable
{
    private readonly Task<ConnectionMultiplexer> _connecting;
    private readonly string _servers;
    private int _disposed;

    public RedisConnection(RedisOptions options)
    {
        Options = options;
        _servers = string.Join(";", options.Endpoints);
        _connecting = ConnectionMultiplexer.ConnectAsync(Configuration(options));
    }

    /// <summary>The options the connection was made with.</summary>
    public RedisOptions Options { get; }

    /// <summary>The client's configuration for <paramref name="options"/>.</summary>
    internal static ConfigurationOptions Configuration(RedisOptions options)
    {
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)options.SyncTimeout.TotalMilliseconds,
            AsyncTimeout = (int)options.SyncTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            // A cache comes back soon after its server: retry every connect timeout, not with exponential back-off.
            ReconnectRetryPolicy = new LinearRetry((int)options.ConnectTimeout.TotalMilliseconds),
            DefaultDatabase = options.Database,
            Ssl = options.UseTls,
            // FLUSHDB (flush_db=true), INFO and DBSIZE (fcache stats) are admin commands to the client.
            AllowAdmin = true,
            ClientName = "FunctionalCache",
            // The client's exception texts then carry no keys and no counters: short lines for logs and the CLI.
            IncludeDetailInExceptions = false,
            IncludePerformanceCountersInExceptions = false,
        };
        foreach (var endpoint in options.Endpoints) configuration.EndPoints.Add(endpoint.Host, endpoint.Port);
        if (options.UseTls) configuration.SslHost = options.Endpoints.Head.Host;
        if (options.User.IsSome) configuration.User = options.User.IfNone("");
        if (options.Password is { } password) configuration.Password = password;
        return configuration;
    }

    /// <summary>The connected client; waits for the first connection attempt.</summary>
    /// <exception cref="ObjectDisposedException">The cache was disposed.</exception>
    public async ValueTask<ConnectionMultiplexer> MultiplexerAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(RedisCache));
        try
        {
            return await _connecting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw Failure(e);
        }
    }

    /// <summary>The database the cache uses.</summary>
    public async ValueTask<IDatabase> DatabaseAsync() => (await MultiplexerAsync().ConfigureAwait(false)).GetDatabase(Options.Database);

    /// <summary>
    /// The database when the first connection attempt has succeeded and the cache is not disposed, without awaiting
    /// anything; null otherwise (then <see cref="DatabaseAsync"/> waits, or says why not).
    /// </summary>
    public IDatabase? ConnectedDatabase =>
        Volatile.Read(ref _disposed) != 0 ? null : _database ?? (_connecting.IsCompletedSuccessfully ? _database = _connecting.Result.GetDatabase(Options.Database) : null);

    // The database once connected, kept: the hot path asks for it on every call.
    private IDatabase? _database;

    /// <summary>True when the client is connected to at least one server.</summary>
    public bool IsConnected => _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected;

    /// <summary>The exception a client fault is reported as: the servers and the client's reason, one sentence.</summary>
    public CacheBackendException Failure(Exception cause) =>
        new($"redis server {_servers} failed: {Reason(cause)}", cause);

    /// <summary>The exception for servers the client is not connected to: <paramref name="reason"/> says which.</summary>
    public CacheBackendException Unavailable(string reason) => new($"redis server {_servers} failed: {reason}.");

    /// <summary>True for the exceptions that mean the store could not be reached or could not answer.</summary>
    public static bool IsFault(Exception e) => e is RedisException or TimeoutException;

    // The client's reason and the command, without the diagnostics it appends (queue lengths, thread pool counts, the
    // client version, a link): those help in a bug report, not in a log line or the CLI's one-line error.
    private static string Reason(Exception cause)
    {
        var text = cause.Message.ReplaceLineEndings(" ").Trim();
        foreach (var tail in s_diagnostics)
        {
            var end = text.IndexOf(tail, StringComparison.Ordinal);
            if (end > 0) text = text[..end];
        }
        return text.TrimEnd(' ', ',', ';', '.');
    }

    private static readonly string[] s_diagnostics = [", next:", ", inst:", ", mc:", ", serverEndpoint:", "; IOCP:", " (see http", "; to create a disconnected multiplexer"];

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // A connection still being made is closed as soon as it is made.
        _connecting.ContinueWith(static t => { if (t.IsCompletedSuccessfully) t.Result.Dispose(); }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
