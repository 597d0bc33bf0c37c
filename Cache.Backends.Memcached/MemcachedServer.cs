using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// One memcached server: a TCP host and port, or a Unix socket path, with a ketama weight.
/// </summary>
/// <remarks>
/// Written as Django and pylibmc write them: <c>host</c> (port 11211), <c>host:port</c>, <c>[::1]:port</c>,
/// or <c>unix:/run/memcached/socket</c> (the <c>unix:</c> prefix is stripped, a bare absolute path works too).
/// Immutable.
/// </remarks>
public sealed record MemcachedServer
{
    /// <summary>memcached's default TCP port.</summary>
    public const int DefaultPort = 11211;

    private MemcachedServer(string host, int port, string? socketPath, int weight)
    {
        Host = host;
        Port = port;
        SocketPath = socketPath;
        Weight = weight;
    }

    /// <summary>The host name or address; for a Unix socket, its path.</summary>
    public string Host { get; }

    /// <summary>The TCP port; 0 for a Unix socket.</summary>
    public int Port { get; }

    /// <summary>The Unix socket path, or null for TCP.</summary>
    internal string? SocketPath { get; }

    /// <summary>True for a Unix domain socket.</summary>
    public bool IsUnixSocket => SocketPath is not null;

    /// <summary>The server's share of the key space relative to the others.</summary>
    /// <value>1.</value>
    public int Weight { get; }

    /// <summary>A TCP server.</summary>
    /// <exception cref="ArgumentException">The host is empty or the port is outside 1–65535.</exception>
    public static MemcachedServer Tcp(string host, int port = DefaultPort)
    {
        Guard.That(!string.IsNullOrWhiteSpace(host), nameof(host), "A memcached host must not be empty.");
        Guard.That(port is > 0 and <= 65535, nameof(port), "A memcached port must be between 1 and 65535.");
        return new MemcachedServer(host, port, null, 1);
    }

    /// <summary>A server on a Unix domain socket.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public static MemcachedServer Unix(string path)
    {
        Guard.That(!string.IsNullOrWhiteSpace(path), nameof(path), "A memcached socket path must not be empty.");
        return new MemcachedServer(path, 0, path, 1);
    }

    /// <summary>A copy with another weight.</summary>
    /// <exception cref="ArgumentException"><paramref name="weight"/> is below 1.</exception>
    public MemcachedServer WithWeight(int weight)
    {
        Guard.That(weight >= 1, nameof(weight), "A memcached server weight must be at least 1.");
        return new MemcachedServer(Host, Port, SocketPath, weight);
    }

    /// <summary>Parses one server as written in a location, or says why it cannot.</summary>
    public static Either<string, MemcachedServer> TryParse(string text)
    {
        var s = (text ?? "").Trim();
        if (s.Length == 0) return Left<string, MemcachedServer>("A memcached server must not be empty.");
        if (s.StartsWith("unix:", StringComparison.Ordinal)) s = s[5..];
        if (s.StartsWith('/')) return Right<string, MemcachedServer>(Unix(s));
        return HostAndPort.TryParse(s, text!, "Memcached server", DefaultPort).Map(hp => Tcp(hp.Host, hp.Port));
    }

    /// <summary>Parses one server.</summary>
    /// <exception cref="ArgumentException">The text is not a server.</exception>
    public static MemcachedServer Parse(string text) =>
        TryParse(text).Match(server => server, problem => throw new ArgumentException(problem, nameof(text)));

    /// <summary>
    /// The name of this server's ketama points, as libmemcached writes it: <c>host</c> on port 11211,
    /// <c>host:port</c> otherwise (a Unix socket has port 0).
    /// </summary>
    internal string KetamaName => Port == DefaultPort ? Host : string.Concat(Host, ":", Port.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public override string ToString() => IsUnixSocket ? "unix:" + Host : Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
