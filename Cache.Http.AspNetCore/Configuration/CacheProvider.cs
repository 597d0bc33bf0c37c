using System.Collections.Concurrent;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The <see cref="ICacheProvider"/> <c>AddFunctionalCache(configuration)</c> registers (and, with the one alias
/// <c>"default"</c>, what <c>AddFunctionalCache(uri)</c> builds its cache with): builds each configured cache on
/// first use with the application's logger, clock and serializer, wraps it in an <see cref="InstrumentedCache"/> tagged with its
/// alias, and disposes the caches it built when the container is disposed.
/// </summary>
/// <remarks>Thread-safe: each alias is built once.</remarks>
internal sealed class CacheProvider : ICacheProvider, IDisposable
{
    // Written once here, then only read: a plain dictionary (LanguageExt's HashMap costs a process 400 ms on first use).
    private readonly Dictionary<string, CacheSettings> _settings;
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, Lazy<ICache>> _built = new(StringComparer.Ordinal);

    public CacheProvider(Seq<CacheSettings> settings, IServiceProvider services)
    {
        _settings = settings.ToDictionary(s => s.Alias, StringComparer.Ordinal);
        _services = services;
        Aliases = settings.Map(s => s.Alias).OrderBy(a => a, StringComparer.Ordinal).ToSeq().Strict();
    }

    public Seq<string> Aliases { get; }

    public ICache Default => this[CacheMiddlewareOptions.DefaultAlias];

    public ICache this[string alias]
    {
        get
        {
            Guard.NotNull(alias, nameof(alias));
            var settings = _settings.TryGetValue(alias, out var found) ? found : throw new ArgumentException(
                $"No cache is configured under the alias '{alias}'; the configured aliases are {string.Join(", ", Aliases)}.");
            return _built.GetOrAdd(alias, _ => new Lazy<ICache>(() => Build(settings))).Value;
        }
    }

    private ICache Build(CacheSettings settings)
    {
        var context = ServiceCacheContext.From(_services);
        return new InstrumentedCache(ConfiguredCacheFactory.Create(settings, context), settings.Alias, context.Logger);
    }

    public void Dispose()
    {
        foreach (var built in _built.Values)
            if (built.IsValueCreated && built.Value is InstrumentedCache { Inner: IDisposable disposable }) disposable.Dispose();
    }
}
