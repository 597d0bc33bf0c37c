using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

/// <summary>One Redis server: a host name or address and a TCP port.</summary>
/// <remarks>Written <c>host</c> (port 6379), <c>host:port</c> or <c>[::1]:port</c>. Immutable.</remarks>
public sealed record RedisEndpoint
{
    /// <summary>Redis's default TCP port.</summary>
    public const int DefaultPort = 6379;

    private RedisEndpoint(string host, int port)
    {
        Host = host;
        Port = port;
    }

    /// <summary>The host name or address.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>An endpoint.</summary>
    /// <exception cref="ArgumentException">The host is empty or the port is outside 1–65535.</exception>
    public static RedisEndpoint Of(string host, int port = DefaultPort)
    {
        Guard.That(!string.IsNullOrWhiteSpace(host), nameof(host), "A Redis host must not be empty.");
        Guard.That(port is > 0 and <= 65535, nameof(port), "A Redis port must be between 1 and 65535.");
        return new RedisEndpoint(host, port);
    }

    /// <summary>Parses <c>host</c>, <c>host:port</c> or <c>[address]:port</c>, or says why it cannot.</summary>
    public static Either<string, RedisEndpoint> TryParse(string text)
    {
        var s = (text ?? "").Trim();
        if (s.Length == 0) return Left<string, RedisEndpoint>("A Redis server must not be empty.");
        return HostAndPort.TryParse(s, s, "Redis server", DefaultPort).Map(hp => new RedisEndpoint(hp.Host, hp.Port));
    }

    /// <summary>Parses one endpoint.</summary>
    /// <exception cref="ArgumentException">The text is not an endpoint.</exception>
    public static RedisEndpoint Parse(string text) =>
        TryParse(text).Match(endpoint => endpoint, problem => throw new ArgumentException(problem, nameof(text)));

    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
