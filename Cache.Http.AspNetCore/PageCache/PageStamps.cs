using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FunctionalCache.Backends.Tags;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The stamps a stored page is keyed by: its URL's stamp and its tags' (the tag stamps of <see cref="TaggedCache"/>,
/// in the page cache's own cache). A page key ends with a digest of their nonces, so purging the URL (its stamp is
/// deleted) or evicting a tag (its stamp renewed) makes every page that was keyed by the old nonce unreachable at once,
/// whatever the variant, method or layer; a stamp that is missing at lookup time is a miss.
/// </summary>
/// <remarks>
/// The stamps are read before the page is written, so a purge that lands in between leaves the page under a key no
/// lookup computes any more. A URL's stamp expires with the first page stored for it (no key per URL is kept forever);
/// a new one gets a fresh random nonce, so pages stored under the old one never come back. Thread-safe: pure helpers.
/// </remarks>
internal static class PageStamps
{
    /// <summary>The tag of a URL's stamp: <c>url:</c> and the MD5 of the absolute URI that page keys hash.</summary>
    public static string UrlTag(RequestHead request) =>
        "url:" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(AbsoluteUri.Build(request))));

    /// <summary>The key suffix of a page with these stamps, or null when one is missing (the page is then a miss).</summary>
    public static async ValueTask<string?> ReadSuffixAsync(ICache cache, IReadOnlyList<string> tags)
    {
        var nonces = await TagStamps.ReadAsync(cache, tags, CancellationToken.None).ConfigureAwait(false);
        if (tags.Any(t => !nonces.ContainsKey(t))) return null;
        return Suffix(tags.Select(t => nonces[t]));
    }

    /// <summary>The key suffix to store a page under, creating missing stamps (the URL's for <paramref name="urlStampTimeout"/>, tags' for ever).</summary>
    public static async ValueTask<string> SuffixForWriteAsync(ICache cache, IReadOnlyList<string> tags, CacheTimeout urlStampTimeout)
    {
        var stamps = await TagStamps.ForWriteAsync(cache, tags, CancellationToken.None,
            tag => tag.StartsWith("url:", StringComparison.Ordinal) ? urlStampTimeout : CacheTimeout.Never).ConfigureAwait(false);
        return Suffix(stamps.Select(s => s.Nonce));
    }

    private static string Suffix(IEnumerable<long> nonces)
    {
        var bytes = nonces.SelectMany(n => { var b = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, n); return b; }).ToArray();
        return ".fc" + Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 16);
    }
}
