using FunctionalCache;
using FunctionalCache.Backends;
using FunctionalCache.Laws;
using Xunit;
using Xunit.Abstractions;

namespace Samples.CustomBackend.Tests;

/// <summary>The dictionary backend keeps every law of FunctionalCache.Laws.</summary>
public sealed class DictionaryCacheLawTests(ITestOutputHelper output)
{
    // A subject: how the laws make a fresh cache with the context (fake clock, logger) and policy each run needs.
    private static readonly Subject Dictionary = Subject.Create("dict", (context, policy) => new DictionaryCache(policy, context));

    [Fact]
    public void EveryLawHolds()
    {
        var report = Laws.check(LawConfig.defaults, Dictionary);
        output.WriteLine(report.ToString());
        Laws.throwOnFailure(report);
    }
}
