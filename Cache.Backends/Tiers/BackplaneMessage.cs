using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.Tiers;

/// <summary>One invalidation a node publishes on a backplane: what changed, and which node changed it.</summary>
/// <param name="Kind">What to drop.</param>
/// <param name="NodeId">The publishing node, so that it ignores its own message.</param>
/// <param name="Key">The caller's key (<see cref="BackplaneMessageKind.KeyChanged"/>), the tag (<see cref="BackplaneMessageKind.TagEvicted"/>), or empty.</param>
/// <param name="Version">The key's version; 0 for the other kinds.</param>
/// <remarks>
/// On the wire: <c>kind|node|version|key</c>, one short text line (the key last, so it may hold any character).
/// A node id holds no <c>|</c>.
/// </remarks>
public sealed record BackplaneMessage(BackplaneMessageKind Kind, string NodeId, string Key, int Version)
{
    /// <summary>A key was changed by <paramref name="nodeId"/>.</summary>
    public static BackplaneMessage KeyChanged(string nodeId, string key, int version) => new(BackplaneMessageKind.KeyChanged, nodeId, key, version);

    /// <summary>The cache was cleared by <paramref name="nodeId"/>.</summary>
    public static BackplaneMessage Cleared(string nodeId) => new(BackplaneMessageKind.Cleared, nodeId, "", 0);

    /// <summary>The entries tagged <paramref name="tag"/> were evicted by <paramref name="nodeId"/>.</summary>
    public static BackplaneMessage TagEvicted(string nodeId, string tag) => new(BackplaneMessageKind.TagEvicted, nodeId, tag, 0);

    /// <summary>The message as the text a backplane carries.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{(int)Kind}|{NodeId}|{Version}|{Key}");

    /// <summary>The message in <paramref name="text"/>, or None when the text is not one (a stranger on the channel).</summary>
    public static Option<BackplaneMessage> Parse(string text)
    {
        var parts = (text ?? "").Split('|', 4);
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kind)
            || !Enum.IsDefined((BackplaneMessageKind)kind)
            || parts[1].Length == 0
            || !int.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version))
            return None;
        return Some(new BackplaneMessage((BackplaneMessageKind)kind, parts[1], parts[3], version));
    }
}
