namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// A channel every node of a site shares, on which a tiered cache announces each change so the other nodes drop their
/// in-process copies: Redis pub/sub, PostgreSQL <c>LISTEN/NOTIFY</c>, or <see cref="InProcessBackplane"/>.
/// </summary>
/// <remarks>
/// Delivery is at most once and may be late; a node that was disconnected has missed messages, which is why a tiered
/// cache empties its L1 when the connection comes back. A node receives its own messages too. Implementations are
/// thread-safe.
/// </remarks>
public interface IBackplane
{
    /// <summary>True while messages can be published and are being received.</summary>
    bool IsConnected { get; }

    /// <summary>Sends <paramref name="message"/> to every subscriber on every node.</summary>
    /// <exception cref="CacheBackendException">The backplane could not send it.</exception>
    Task PublishAsync(BackplaneMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onMessage"/> for every message received and <paramref name="onConnectionChanged"/> with
    /// true or false whenever the connection comes back or goes; disposing the result stops both.
    /// </summary>
    IDisposable Subscribe(Action<BackplaneMessage> onMessage, Action<bool> onConnectionChanged);
}
