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
        string host;
        string? portText = null;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) return Left<string, RedisEndpoint>($"Redis server '{s}' opens '[' without closing it.");
            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return Left<string, RedisEndpoint>($"Redis server '{s}' has text after ']' that is not ':port'.");
                portText = rest[1..];
            }
        }
        else
        {
            var colon = s.LastIndexOf(':');
            if (colon >= 0 && s.IndexOf(':') != colon) host = s; // a bare IPv6 address: no port
            else if (colon >= 0) { host = s[..colon]; portText = s[(colon + 1)..]; }
            else host = s;
        }
        if (host.Length == 0) return Left<string, RedisEndpoint>($"Redis server '{s}' has no host.");
        var port = DefaultPort;
        if (portText is not null && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535))
            return Left<string, RedisEndpoint>($"Redis server '{s}' has port '{portText}'; a port must be between 1 and 65535.");
        return Right<string, RedisEndpoint>(new RedisEndpoint(host, port));
    }

    /// <summary>Parses one endpoint.</summary>
    /// <exception cref="ArgumentException">The text is not an endpoint.</exception>
    public static RedisEndpoint Parse(string text) =>
        TryParse(text).Match(endpoint => endpoint, problem => throw new ArgumentException(problem, nameof(text)));

    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
