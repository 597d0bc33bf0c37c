using FunctionalCache.Backends;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// The <see cref="CacheContext"/> of every cache DI builds: the application's logger (category <c>FunctionalCache</c>),
/// and its <see cref="TimeProvider"/> and <see cref="ICacheSerializer"/> when registered (the defaults otherwise).
/// </summary>
internal static class ServiceCacheContext
{
    public static CacheContext From(IServiceProvider services)
    {
        var context = CacheContext.Default;
        if (services.GetService<ILoggerFactory>() is { } loggers) context = context.WithLogger(loggers.CreateLogger("FunctionalCache"));
        if (services.GetService<TimeProvider>() is { } time) context = context.WithTime(time);
        if (services.GetService<ICacheSerializer>() is { } serializer) context = context.WithSerializer(serializer);
        return context;
    }
}
