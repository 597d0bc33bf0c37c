using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Redis;

/// <summary>
/// One part of a <c>redis://</c> location, as Django's Redis URLs write it: <c>[user[:password]@]host[:port][/db]</c>.
/// Parsing never quotes the user information in a problem: a password must not reach a log or an error text.
/// </summary>
/// <param name="Endpoint">The server.</param>
/// <param name="User">The user name (Redis 6 ACL), when the part names one.</param>
/// <param name="Password">The password, when the part has one.</param>
/// <param name="Database">The database number after the slash, when the part has one.</param>
internal sealed record RedisLocation(RedisEndpoint Endpoint, string? User, string? Password, int? Database)
{
    /// <summary>The part, or why it is not one (a sentence naming the server part only).</summary>
    public static Either<string, RedisLocation> TryParse(string text)
    {
        var s = (text ?? "").Trim();
        string? user = null, password = null;
        // The last '@': a password may hold an '@' (percent-decoding already happened), a host never does.
        var at = s.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = s[..at];
            s = s[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            if (colon < 0) password = userInfo.Length > 0 ? userInfo : null; // redis-py reads "redis://secret@host" as a password
            else
            {
                user = colon > 0 ? userInfo[..colon] : null;
                password = userInfo[(colon + 1)..];
            }
        }
        int? database = null;
        var slash = s.IndexOf('/');
        if (slash >= 0)
        {
            var dbText = s[(slash + 1)..];
            s = s[..slash];
            if (dbText.Length > 0)
            {
                if (!int.TryParse(dbText, NumberStyles.None, CultureInfo.InvariantCulture, out var db))
                    return Left<string, RedisLocation>($"Redis server '{s}' names database '{dbText}'; a database is a whole number from 0.");
                database = db;
            }
        }
        return RedisEndpoint.TryParse(s).Map(endpoint => new RedisLocation(endpoint, user, password, database));
    }
}
