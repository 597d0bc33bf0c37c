using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>
/// A server written as <c>host</c>, <c>host:port</c>, <c>[v6]</c>, <c>[v6]:port</c> or a bare IPv6 address: the one
/// reading every server backend (memcached, Redis) gives its locations.
/// </summary>
internal static class HostAndPort
{
    /// <summary>The host and port of <paramref name="s"/> (trimmed, not empty), or a one-line error naming
    /// <paramref name="shown"/> as "<paramref name="kind"/> '…'".</summary>
    public static Either<string, (string Host, int Port)> TryParse(string s, string shown, string kind, int defaultPort)
    {
        string host;
        string? portText = null;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) return Left<string, (string, int)>($"{kind} '{shown}' opens '[' without closing it.");
            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') return Left<string, (string, int)>($"{kind} '{shown}' has text after ']' that is not ':port'.");
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
        if (host.Length == 0) return Left<string, (string, int)>($"{kind} '{shown}' has no host.");
        var port = defaultPort;
        if (portText is not null && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535))
            return Left<string, (string, int)>($"{kind} '{shown}' has port '{portText}'; a port must be between 1 and 65535.");
        return Right<string, (string, int)>((host, port));
    }
}
