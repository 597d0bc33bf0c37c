using FunctionalCache;
using FunctionalCache.Backends;

namespace Samples.CustomBackend;

/// <summary>
/// <see cref="DictionaryCache"/> with one realistic bug, kept so that the laws have something to catch
/// (docs/writing-a-backend.md shows what they print): an entry counts as expired only once the clock is past its
/// deadline, so at the deadline itself it is still served.
/// </summary>
/// <remarks>
/// Every backend keeps the rule that an entry written at <c>t0</c> with <c>After(d)</c> is visible strictly before
/// <c>t0 + d</c> and gone from <c>t0 + d</c> on (<c>now &gt;= deadline</c>). Comparing with <c>&gt;</c> instead is an
/// off-by-one that tests sleeping whole seconds never see; the model machine moves a fake clock exactly onto a deadline.
/// </remarks>
/// <param name="policy">The cache's policy.</param>
/// <param name="context">Its clock, logger and serializer.</param>
public sealed class BrokenDictionaryCache(CachePolicy policy, CacheContext context) : DictionaryCache(policy, context)
{
    /// <inheritdoc/>
    public override string BackendName => "broken-dict";

    private protected override bool HasExpired(Expiry expiry, long nowTicks) => nowTicks > expiry.UtcTicks;
}
