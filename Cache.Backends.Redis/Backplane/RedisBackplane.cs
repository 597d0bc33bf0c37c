using System.Collections.Immutable;
using FunctionalCache.Backends.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// A backplane on Redis pub/sub over a Redis cache's own connection: one channel per key prefix,
/// <c>fcache:backplane:&lt;prefix&gt;</c>, so sites sharing a server keep their invalidations apart.
/// </summary>
/// <remarks>
/// The client keeps a dedicated subscription connection and resubscribes by itself after a reconnect; its loss and
/// return are the connection changes subscribers hear. Delivery is Redis's: at most once, to whoever is subscribed at
/// the time. Thread-safe.
/// </remarks>
public sealed class RedisBackplane : IBackplane, IDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisChannel _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableList<Subscriber> _subscribers = ImmutableList<Subscriber>.Empty;
    private Task? _subscribing;
    private ConnectionMultiplexer? _multiplexer;
    private ChannelMessageQueue? _queue;
    private volatile bool _connected;
    private int _watching;

    private static readonly TimeSpan ReturnPollPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>A backplane over <paramref name="cache"/>'s connection, on the channel of its key prefix.</summary>
    /// <param name="cache">The Redis cache that is the tier's L2; the backplane lives no longer than it.</param>
    /// <param name="logger">Where connection changes are logged.</param>
    public RedisBackplane(RedisCache cache, ILogger? logger = null)
    {
        Guard.NotNull(cache, nameof(cache));
        _connection = cache.Connection;
        Channel = ChannelFor(cache.Policy.KeyPrefix);
        _channel = RedisChannel.Literal(Channel);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The pub/sub channel: <c>fcache:backplane:</c> and the key prefix.</summary>
    public string Channel { get; }

    /// <summary>The channel for caches with key prefix <paramref name="keyPrefix"/>.</summary>
    public static string ChannelFor(string keyPrefix) => "fcache:backplane:" + Guard.NotNull(keyPrefix, nameof(keyPrefix));

    /// <inheritdoc/>
    public bool IsConnected => _connected;

    /// <inheritdoc/>
    /// <exception cref="CacheBackendException">Redis could not take the message.</exception>
    public async Task PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(message, nameof(message));
        var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            await multiplexer.GetSubscriber().PublishAsync(_channel, message.Format()).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisConnection.IsFault(e))
        {
            throw _connection.Failure(e);
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged)
    {
        var subscriber = new Subscriber(this, Guard.NotNull(onMessage, nameof(onMessage)), Guard.NotNull(onConnectionChanged, nameof(onConnectionChanged)));
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscriber));
        lock (_stopping)
        {
            _subscribing ??= SubscribeUntilDone(_stopping.Token);
        }
        return subscriber;
    }

    /// <summary>Subscribes once the server answers, retrying every second while it does not.</summary>
    private async Task SubscribeUntilDone(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var multiplexer = await _connection.MultiplexerAsync().ConfigureAwait(false);
                if (_multiplexer is null)
                {
                    _multiplexer = multiplexer;
                    multiplexer.ConnectionFailed += OnConnectionFailed;
                    multiplexer.ConnectionRestored += OnConnectionRestored;
                }
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                queue.OnMessage(message => Deliver(message.Message));
                _queue = queue;
                SetConnected(true);
                return;
            }
            catch (Exception e) when (e is CacheBackendException || RedisConnection.IsFault(e))
            {
                _logger.LogWarning("Redis backplane: cannot subscribe to {Channel} yet: {Failure}", Channel, e.Message);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Deliver(RedisValue text)
    {
        if (BackplaneMessage.Parse(text.ToString()).Case is not BackplaneMessage message) return;
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnMessage(message);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription) return;
        SetConnected(false);
        _ = WatchForReturnAsync();
    }

    /// <summary>
    /// While the subscription is down, asks the client every half second whether it is back. Its events alone do not
    /// tell: the restore may be reported for another connection type before the subscription is back (and never again
    /// after), or arrive before the failure it follows. CI once saw the backplane stay down for 45 s that way.
    /// </summary>
    private async Task WatchForReturnAsync()
    {
        if (Interlocked.Exchange(ref _watching, 1) == 1) return;
        try
        {
            while (!_connected && !_stopping.IsCancellationRequested)
            {
                await Task.Delay(ReturnPollPeriod, _stopping.Token).ConfigureAwait(false);
                if (_multiplexer?.GetSubscriber().IsConnected(_channel) ?? false) SetConnected(true);
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            Volatile.Write(ref _watching, 0);
        }
        // A failure that came while this watch was ending found it still running: watch for its return too.
        if (!_connected && !_stopping.IsCancellationRequested) _ = WatchForReturnAsync();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // The subscription may come back on a restore the client reports for another connection type: ask it.
        if (e.ConnectionType == ConnectionType.Subscription || (_multiplexer?.GetSubscriber().IsConnected(_channel) ?? false)) SetConnected(true);
    }

    private void SetConnected(bool connected)
    {
        // Events and the watch may report at once: one of them announces each change, and subscribers hear the changes
        // in the order they were made.
        lock (_stopping)
        {
            if (_connected == connected) return;
            _connected = connected;
            _logger.LogInformation("Redis backplane on {Channel}: {State}", Channel, connected ? "connected" : "disconnected");
            foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnConnectionChanged(connected);
        }
    }

    /// <summary>Stops listening; the cache's connection stays the cache's.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        if (_multiplexer is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            // This subscription's queue only: another backplane on the same connection and channel keeps its own.
            try { _queue?.Unsubscribe(CommandFlags.FireAndForget); }
            catch (Exception e) when (RedisConnection.IsFault(e) || e is ObjectDisposedException) { }
        }
        _connected = false;
    }

    // A class, not a record: two subscriptions with the same callbacks are still two.
    private sealed class Subscriber(RedisBackplane owner, Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged) : IDisposable
    {
        public Action<BackplaneMessage> OnMessage { get; } = onMessage;

        public Action<bool> OnConnectionChanged { get; } = onConnectionChanged;

        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscribers, list => list.Remove(this));
    }
}
