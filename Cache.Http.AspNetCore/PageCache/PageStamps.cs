using System.Security.Cryptography;
using System.Text;
using FunctionalCache.Backends.Tags;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The stamps a stored page is keyed by: its URL's stamp and its tags' (the tag stamps of <see cref="TaggedCache"/>,
/// in the page cache's own cache). A page key ends with a fold of their nonces, so purging the URL (its stamp is
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
    /// <exception cref="CacheBackendException">The cache failed (a lenient one too: read through TryGetAsync), so the lookup counts a failure.</exception>
    public static async ValueTask<string?> ReadSuffixAsync(ICache cache, IReadOnlyList<string> tags)
    {
        var nonces = new long[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            var bytes = await ReadStampAsync(cache, TagStamp.KeyOf(tags[i])).ConfigureAwait(false);
            if (bytes is null) return null;
            // A stored stamp that is not one is a corrupt entry: a counted failure, as an unreadable page is.
            if (TagStamp.Decode(bytes) is not { } nonce) throw new CacheSerializationException($"The page stamp of '{tags[i]}' is not 8 bytes.");
            nonces[i] = nonce;
        }
        return Suffix(nonces);
    }

    // In memory (locmem) through the sync API, as the page lookup reads; otherwise strictly, so a failure is not a miss.
    private static async ValueTask<byte[]?> ReadStampAsync(ICache cache, string key)
    {
        if (cache is ISyncCache sync) return sync.Get<byte[]?>(key).IfNoneUnsafe((byte[]?)null);
        var read = await cache.TryGetAsync<byte[]?>(key).ConfigureAwait(false);
        return read.MatchUnsafe(
            Right: found => found.IfNoneUnsafe((byte[]?)null),
            Left: error => throw (error is CacheError.BackendFailure { Cause: CacheBackendException cause } ? cause : new CacheBackendException(error.Message)));
    }

    /// <summary>The key suffix to store a page under, creating missing stamps (the URL's for <paramref name="urlStampTimeout"/>, tags' for ever).</summary>
    public static async ValueTask<string> SuffixForWriteAsync(ICache cache, IReadOnlyList<string> tags, CacheTimeout urlStampTimeout)
    {
        var stamps = await TagStamps.ForWriteAsync(cache, tags, CancellationToken.None,
            tag => tag.StartsWith("url:", StringComparison.Ordinal) ? urlStampTimeout : CacheTimeout.Never).ConfigureAwait(false);
        return Suffix(stamps.Select(s => s.Nonce).ToArray());
    }

    // Runs on every page hit. The nonces are random 64-bit numbers (TagStamp.NewNonce), so they need no cryptographic
    // digest (SHA-256 here cost about 500 ns of a 2 µs locmem page hit, in OpenSSL's one-shot call):
    // the suffix is the polynomial fold sum(nonce[i] * P^(n-1-i)) mod 2^64 with an odd P. An odd multiplier is invertible
    // mod 2^64, so renewing any one stamp always changes the suffix, and renewing several at once repeats an old suffix
    // with probability 2^-64; one stamp (the URL's alone) is its own nonce.
    private static string Suffix(ReadOnlySpan<long> nonces)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15; // odd: 2^64 divided by the golden ratio
        var folded = 0UL;
        foreach (var nonce in nonces) folded = unchecked((folded * Multiplier) + (ulong)nonce);
        return string.Create(19, folded, static (text, value) =>
        {
            ".fc".CopyTo(text);
            value.TryFormat(text[3..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });
    }
}
