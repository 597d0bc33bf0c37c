using System.Globalization;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// The Cache-Status response field (RFC 9211): a list with one member per cache that handled the response, the one
/// nearest the origin first. Writes and reads members (<see cref="CacheStatusEntry"/>) and appends a cache's member
/// to the field a response already has.
/// </summary>
/// <remarks>
/// The field is an RFC 8941 structured-field List: <c>OriginCache; hit; ttl=1100, "CDN Company"; fwd=uri-miss; stored</c>.
/// Unlike <c>X-Cache</c>, which a cache in front replays as it stored it, each cache adds its own member, so the field
/// tells what every cache on the way did. No Django equivalent. Pure and thread-safe; nothing here throws on input
/// from the wire.
/// </remarks>
public static class CacheStatus
{
    /// <summary>The field's name.</summary>
    public const string FieldName = "Cache-Status";

    /// <summary>
    /// The member as written in the field: the cache's identifier (a token, or a quoted string when it is not one), then
    /// <c>; hit</c>, <c>; fwd=</c>, <c>; fwd-status=</c>, <c>; ttl=</c>, <c>; stored</c> (<c>; stored=?0</c> when false),
    /// <c>; collapsed</c>, <c>; key=</c> and <c>; detail=</c>, each only when set.
    /// </summary>
    /// <example><c>FunctionalCache; hit; ttl=376</c>; <c>FunctionalCache; fwd=uri-miss; stored</c>.</example>
    /// <exception cref="ArgumentNullException">The entry is null.</exception>
    public static string Format(CacheStatusEntry entry) => Write(new StringBuilder(), Guard.NotNull(entry, nameof(entry))).ToString();

    /// <summary>The field value for <paramref name="entries"/>, nearest the origin first, separated by <c>", "</c>.</summary>
    /// <exception cref="ArgumentNullException">The list or an entry is null.</exception>
    public static string Format(IEnumerable<CacheStatusEntry> entries)
    {
        Guard.NotNull(entries, nameof(entries));
        var output = new StringBuilder();
        foreach (var entry in entries)
        {
            if (output.Length > 0) output.Append(", ");
            Write(output, Guard.NotNull(entry, nameof(entries)));
        }
        return output.ToString();
    }

    /// <summary>
    /// The members of a Cache-Status field value, nearest the origin first; None when the value is not a valid
    /// structured-field list or a member is not a cache identifier (a token or a string). An empty value is an empty list.
    /// </summary>
    /// <remarks>
    /// Parameters of an unexpected type, and parameters RFC 9211 does not define, are ignored; so is a <c>fwd-status</c>
    /// outside 100–999. A repeated parameter takes its last value (RFC 8941). Never throws.
    /// </remarks>
    public static Option<Seq<CacheStatusEntry>> TryParse(string? fieldValue)
    {
        if (fieldValue is null) return None;
        return StructuredFields.ParseList(fieldValue).Bind(members =>
        {
            var entries = new List<CacheStatusEntry>(members.Count);
            foreach (var member in members)
            {
                var entry = EntryOf(member);
                if (entry.IsNone) return None;
                entries.Add((CacheStatusEntry)entry);
            }
            return Some(toSeq(entries));
        });
    }

    /// <summary>
    /// <paramref name="fieldValue"/> with <paramref name="entry"/> appended as its last member (the cache nearest the
    /// client comes last): the existing value is kept as it is, as RFC 9211 §2 asks.
    /// </summary>
    /// <param name="fieldValue">The field's current value; empty (or blank) when the response has none.</param>
    /// <param name="entry">This cache's member.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static string Append(string fieldValue, CacheStatusEntry entry)
    {
        Guard.NotNull(fieldValue, nameof(fieldValue));
        var member = Format(entry);
        return string.IsNullOrWhiteSpace(fieldValue) ? member : fieldValue.TrimEnd() + ", " + member;
    }

    /// <summary><paramref name="response"/> with <paramref name="entry"/> appended to its Cache-Status field (see <see cref="Append(string, CacheStatusEntry)"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ResponseHead Append(ResponseHead response, CacheStatusEntry entry)
    {
        Guard.NotNull(response, nameof(response));
        return response.WithHeader(FieldName, Append(response.Headers.Get(FieldName).IfNone(""), entry));
    }

    private static StringBuilder Write(StringBuilder output, CacheStatusEntry entry)
    {
        StructuredFields.AppendTokenOrString(output, entry.Cache);
        if (entry.Hit) output.Append("; hit");
        entry.Forward.IfSome(reason => output.Append("; fwd=").Append(reason));
        entry.ForwardStatus.IfSome(status => output.Append("; fwd-status=").Append(status.ToString(CultureInfo.InvariantCulture)));
        entry.Ttl.IfSome(ttl => output.Append("; ttl=").Append(ttl.ToString(CultureInfo.InvariantCulture)));
        entry.Stored.IfSome(stored => output.Append(stored ? "; stored" : "; stored=?0"));
        if (entry.Collapsed) output.Append("; collapsed");
        entry.Key.IfSome(key => StructuredFields.AppendString(output.Append("; key="), key));
        entry.Detail.IfSome(detail => StructuredFields.AppendTokenOrString(output.Append("; detail="), detail));
        return output;
    }

    private static Option<CacheStatusEntry> EntryOf(StructuredFields.Member member)
    {
        var cache = member.InnerList ? null : TextOf(member.Value);
        if (string.IsNullOrEmpty(cache)) return None;
        var entry = CacheStatusEntry.Of(cache);
        foreach (var (name, value) in member.Parameters)
        {
            entry = (name, value) switch
            {
                ("hit", bool hit) => entry.WithHit(hit),
                ("fwd", StructuredFields.Token reason) => entry.WithForward(reason.Text),
                ("fwd-status", long status) when status is >= 100 and <= 999 => entry.WithForwardStatus((int)status),
                ("ttl", long ttl) => entry.WithTtl(ttl),
                ("stored", bool stored) => entry.WithStored(stored),
                ("collapsed", bool collapsed) => entry.WithCollapsed(collapsed),
                ("key", string key) => entry.WithKey(key),
                ("detail", var detail) when TextOf(detail) is { } text => entry.WithDetail(text),
                _ => entry,
            };
        }
        return entry;
    }

    private static string? TextOf(object value) => value switch
    {
        string text => text,
        StructuredFields.Token token => token.Text,
        _ => null,
    };
}
