using LanguageExt;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>A configured cache's <c>tiers</c> and <c>backplane</c> settings: the in-process level in front of it.</summary>
/// <param name="L1Uri">The in-process level's URI (<c>l1</c>; <c>locmem:///</c> when omitted).</param>
/// <param name="L1MaxDuration"><c>l1_max_duration</c> in seconds, when configured.</param>
/// <param name="UnknownLifetimeL1Timeout"><c>unknown_lifetime_timeout</c> in seconds, when configured.</param>
/// <param name="BackplaneDownL1Timeout"><c>backplane_down_timeout</c> in seconds, when configured.</param>
/// <param name="Backplane">The backplane's name: <c>none</c> (the default), <c>redis</c> or <c>postgres</c>.</param>
public sealed record TierSettings(string L1Uri, Option<TimeSpan> L1MaxDuration, Option<TimeSpan> UnknownLifetimeL1Timeout, Option<TimeSpan> BackplaneDownL1Timeout, string Backplane);
