namespace FunctionalCache.Backends.Diagnostics;

/// <summary>A backend that can answer a failure leniently (a logged miss) and tells when it does, so that it can be counted.</summary>
public interface ICacheFailureSource
{
    /// <summary>True when the cache answers a backend failure as a logged miss, <c>false</c> or a dropped write instead of throwing.</summary>
    bool FailuresAreMisses { get; }

    /// <summary>Raised for every backend failure the cache logged and answered as a miss, <c>false</c> or a dropped write; handlers must be quick and must not call the cache.</summary>
    event Action<CacheBackendException>? FailureAnswered;
}
