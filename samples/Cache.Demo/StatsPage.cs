using System.Globalization;
using System.Text;
using FunctionalCache.Http.AspNetCore;

namespace Cache.Demo;

/// <summary>The /stats page: the caches' counts, layer by layer, each number with a sentence saying what it counts.</summary>
public static class StatsPage
{
    /// <summary>The page's text for <paramref name="counters"/>.</summary>
    public static string Render(CacheCounters counters)
    {
        var text = new StringBuilder();
        text.AppendLine("FunctionalCache demo: cache statistics");
        text.AppendLine();
        text.AppendLine("Every request a page cache handles counts once in it, as a hit, a miss or not cacheable. The per-site cache");
        text.AppendLine("handles every page; the per-view cache (CachePage) sits inside it on /foo/N/, so a /foo/N/ page neither has");
        text.AppendLine("stored yet is a miss in both layers, each storing its own copy, and then a hit of the per-site cache alone.");
        text.AppendLine("Responses say the same per request in their Cache-Status header (RFC 9211).");
        Layer(text, "per-site cache (every page, kept 60 s unless the page says otherwise)", counters.Site);
        Layer(text, "per-view cache (CachePage on /foo/N/, kept 15 minutes)", counters.View);
        text.AppendLine();
        text.AppendLine("fragment cache (the {% cache %} sidebar on /)");
        Line(text, "backend failures", counters.FragmentBackendFailures, "sidebars rendered without the cache because its backend failed");
        text.AppendLine();
        Line(text, "total backend failures", counters.BackendFailures, "every backend failure above; each was logged, and no page failed because of it", indent: "");
        return text.ToString();
    }

    private static void Layer(StringBuilder text, string title, CacheLayerCounters layer)
    {
        text.AppendLine();
        text.AppendLine(title);
        Line(text, "hits", layer.Hits, "answered from the cache: the page did not run");
        Line(text, "misses", layer.Misses, "not in the cache but cacheable: the page ran and its response was stored");
        Line(text, "not cacheable", layer.NotCacheable, "the response may not be stored (/never and /stats are never cached, /login sets a cookie): the page ran, nothing was kept");
        Line(text, "stores", layer.Stores, "responses written to the cache (a miss whose store failed is not one)");
        Line(text, "backend failures", layer.BackendFailures, "lookups and stores the cache backend failed: each lookup was served as a miss");
    }

    private static void Line(StringBuilder text, string label, long count, string meaning, string indent = "  ") =>
        text.Append(indent).Append(label.PadRight(24 - indent.Length)).Append(count.ToString(CultureInfo.InvariantCulture).PadLeft(8)).Append("  ").AppendLine(meaning);
}
