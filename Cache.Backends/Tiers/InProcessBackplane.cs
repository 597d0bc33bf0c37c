using System.Collections.Immutable;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// A backplane inside one process: every subscriber receives every message at once, before
/// <see cref="PublishAsync"/> returns. For several tiered caches over one shared store in one process (and tests).
/// </summary>
/// <remarks>
/// <see cref="SetConnected"/> simulates losing and regaining the connection. Thread-safe.
/// </remarks>
public sealed class InProcessBackplane : IBackplane
{
    private ImmutableList<Subscriber> _subscribers = ImmutableList<Subscriber>.Empty;
    private volatile bool _connected = true;

    /// <inheritdoc/>
    public bool IsConnected => _connected;

    /// <inheritdoc/>
    /// <exception cref="CacheBackendException">The backplane was set disconnected.</exception>
    public Task PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(message, nameof(message));
        if (!_connected) return Task.FromException(new CacheBackendException("in-process backplane is disconnected."));
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnMessage(message);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged)
    {
        var subscriber = new Subscriber(this, Guard.NotNull(onMessage, nameof(onMessage)), Guard.NotNull(onConnectionChanged, nameof(onConnectionChanged)));
        ImmutableInterlocked.Update(ref _subscribers, list => list.Add(subscriber));
        return subscriber;
    }

    /// <summary>Drops or restores the connection, telling every subscriber when it changes.</summary>
    public void SetConnected(bool connected)
    {
        if (_connected == connected) return;
        _connected = connected;
        foreach (var subscriber in Volatile.Read(ref _subscribers)) subscriber.OnConnectionChanged(connected);
    }

    // A class, not a record: two subscriptions with the same callbacks are still two.
    private sealed class Subscriber(InProcessBackplane owner, Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged) : IDisposable
    {
        public Action<BackplaneMessage> OnMessage { get; } = onMessage;

        public Action<bool> OnConnectionChanged { get; } = onConnectionChanged;

        public void Dispose() => ImmutableInterlocked.Update(ref owner._subscribers, list => list.Remove(this));
    }
}
