using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using FunctionalCache.Backends.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FunctionalCache.Backends.Database;

/// <summary>
/// A backplane on PostgreSQL <c>LISTEN/NOTIFY</c>, for tiers over a <c>db://</c> cache on PostgreSQL: no other
/// infrastructure. One dedicated connection listens (and is reopened, every second, when it is lost); messages are
/// sent with <c>pg_notify</c> on pooled connections.
/// </summary>
/// <remarks>
/// PostgreSQL delivers a notification to the sessions listening when the sending transaction commits, at most once;
/// a payload is at most 8000 bytes, far more than a message with a 250-character key. Thread-safe.
/// </remarks>
public sealed class PostgresBackplane : IBackplane, IDisposable
{
    /// <summary>The application name the listening connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "fcache-backplane";

    private readonly NpgsqlDataSource _publishing;
    private readonly string _listenConnectionString;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableList<Subscriber> _subscribers = ImmutableList<Subscriber>.Empty;
    private Task? _listening;
    private volatile bool _connected;

    /// <summary>A backplane on <paramref name="channel"/> of the PostgreSQL server <paramref name="connectionString"/> names.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be read, or the channel is empty or longer than 63 bytes.</exception>
    public PostgresBackplane(string connectionString, string channel, ILogger? logger = null)
    {
        Guard.NotNull(connectionString, nameof(connectionString));
        Guard.NotNull(channel, nameof(channel));
        Guard.That(channel.Length > 0 && Encoding.UTF8.GetByteCount(channel) <= 63 && !channel.Contains('"', StringComparison.Ordinal), nameof(channel),
            "A PostgreSQL channel name must be 1 to 63 bytes long and hold no double quote.");
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException e) { throw new ArgumentException($"The backplane's PostgreSQL connection string cannot be read: {e.Message}", nameof(connectionString), e); }
        Channel = channel;
        _publishing = NpgsqlDataSource.Create(builder.ConnectionString);
        // Its own, unpooled session: a LISTEN belongs to the session, and a pool would hand the session to others.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, ApplicationName = ApplicationName, KeepAlive = 5 }.ConnectionString;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A backplane for tiers over <paramref name="cache"/>: its server, and a channel named after its table and key prefix.</summary>
    /// <exception cref="ArgumentException">The cache is not on PostgreSQL.</exception>
    public static PostgresBackplane For(DatabaseCache cache, ILogger? logger = null)
    {
        Guard.NotNull(cache, nameof(cache));
        Guard.That(cache.Location.Provider == DatabaseProvider.Postgres, nameof(cache), "A PostgreSQL backplane needs a db:// cache on PostgreSQL.");
        return new PostgresBackplane(cache.Location.ConnectionString, ChannelFor(cache.Table, cache.Policy.KeyPrefix), logger);
    }

    /// <summary>The channel for a table and key prefix: <c>fcache_</c> and a hash of both, so any name fits the 63-byte limit.</summary>
    public static string ChannelFor(string table, string keyPrefix)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Guard.NotNull(table, nameof(table)) + "\0" + Guard.NotNull(keyPrefix, nameof(keyPrefix))));
        return "fcache_" + Convert.ToHexStringLower(hash, 0, 12);
    }

    /// <summary>The channel messages are sent on.</summary>
    public string Channel { get; }

    /// <inheritdoc/>
    public bool IsConnected => _connected;

    /// <inheritdoc/>
    /// <exception cref="CacheBackendException">The server could not take the message.</exception>
    public async Task PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(message, nameof(message));
        try
        {
            await using var command = _publishing.CreateCommand("SELECT pg_notify(@channel, @payload)");
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", message.Format());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            throw new CacheBackendException($"PostgreSQL backplane could not notify {Channel}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged)
    {
        var subscriber = new Subscriber(this, Guard.NotNull(onMessage, nameof(onMessage)), Guard.NotNull(onConnectionChanged, nameof(onConnectionChanged)));
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscriber));
        lock (_stopping)
        {
            _listening ??= Task.Run(() => Listen(_stopping.Token));
        }
        return subscriber;
    }

    /// <summary>Listens until disposed: a lost connection is reported and reopened a second later.</summary>
    private async Task Listen(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{Channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                SetConnected(true);
                while (true) await connection.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                _logger.LogWarning("PostgreSQL backplane on {Channel} lost its connection; reopening: {Failure}", Channel, e.Message);
                SetConnected(false);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
        SetConnected(false);
    }

    private void Deliver(string payload)
    {
        if (BackplaneMessage.Parse(payload).Case is not BackplaneMessage message) return;
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnMessage(message);
    }

    private void SetConnected(bool connected)
    {
        if (_connected == connected) return;
        _connected = connected;
        _logger.LogInformation("PostgreSQL backplane on {Channel}: {State}", Channel, connected ? "listening" : "disconnected");
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnConnectionChanged(connected);
    }

    /// <summary>Stops listening and closes the connections.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        try { _listening?.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
        _publishing.Dispose();
    }

    // A class, not a record: two subscriptions with the same callbacks are still two.
    private sealed class Subscriber(PostgresBackplane owner, Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged) : IDisposable
    {
        public Action<BackplaneMessage> OnMessage { get; } = onMessage;

        public Action<bool> OnConnectionChanged { get; } = onConnectionChanged;

        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscribers, list => list.Remove(this));
    }
}
