using FunctionalCache;
using FunctionalCache.Backends;
using Xunit;

namespace Samples.CustomBackend.Tests;

/// <summary>The <c>dict</c> scheme builds the dictionary backend from a URI.</summary>
public sealed class DictionaryBackendTests
{
    private static readonly CacheRegistry Registry = CacheRegistry.Builtin.With(DictionaryBackend.Registration);

    [Fact]
    public async Task ADictUriBuildsADictionaryCacheWithTheUrisPolicy()
    {
        var cache = Registry.FromUri("dict:///?timeout=60&max_entries=2&cull_frequency=0", CacheContext.Default, strict: true);

        Assert.IsType<DictionaryCache>(cache);
        Assert.Equal(2, cache.Policy.MaxEntries);
        Assert.Equal(0, cache.Policy.CullFrequency);
        Assert.Equal(CacheTimeout.Seconds(60), cache.Policy.DefaultTimeout);
        await cache.SetAsync("greeting", "hello");
        Assert.Equal("hello", (await cache.GetAsync<string>("greeting")).IfNoneUnsafe("miss"));
    }

    [Fact]
    public void TheBuiltInRegistryDoesNotKnowTheScheme()
    {
        var problems = CacheRegistry.Builtin.TryFromUri("dict:///", CacheContext.Default).Match(_ => "", errors => string.Join("; ", errors.Map(p => p.Message)));

        Assert.Contains("Unknown cache backend scheme 'dict'", problems);
    }
}
