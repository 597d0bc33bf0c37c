using FunctionalCache.Backends;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>Builds the cache one <see cref="CacheSettings"/> describes: the URI's backend, with the configured timeout, prefix and version.</summary>
internal static class ConfiguredCacheFactory
{
    /// <exception cref="FormatException">The URI is invalid (configuration validation makes this rare).</exception>
    public static ICache Create(CacheSettings settings, CacheContext context)
    {
        var uri = BackendUri.Parse(settings.Uri);
        var registration = BuiltinBackends.All.Find(r => r.Scheme == uri.Scheme);
        if (registration.IsNone) return CacheRegistry.Builtin.FromUri(settings.Uri, context);
        var backend = (BackendRegistration)registration;
        var parsed = BackendUri.TryParse(settings.Uri, backend.Arguments).Match(
            u => u, problems => throw new FormatException(UriProblem.Describe(settings.Uri, problems)));
        foreach (var warning in parsed.Warnings) context.Logger.LogWarning("{UriWarning} It is ignored.", warning.Message);
        var defaults = CachePolicy.Default;
        var policy = new CachePolicy(
            settings.Timeout.IfNone(() => parsed.Timeout.IfNone(defaults.DefaultTimeout)),
            parsed.MaxEntries.IfNone(defaults.MaxEntries),
            parsed.CullFrequency.IfNone(defaults.CullFrequency),
            settings.KeyPrefix.IfNone(defaults.KeyPrefix),
            settings.Version.IfNone(defaults.Version),
            defaults.KeyFunction);
        return backend.Create(new BackendRequest(parsed, policy, context, false)).Match(
            cache => cache, problems => throw new FormatException(UriProblem.Describe(settings.Uri, problems)));
    }
}
