namespace Cache.Demo;

/// <summary>The page worth caching: a deliberately slow computation (counting primes with a fresh sieve).</summary>
public static class ExpensivePage
{
    /// <summary>The number of primes below <paramref name="limit"/>, computed from scratch every call.</summary>
    public static int CountPrimes(int limit)
    {
        var composite = new bool[limit];
        var count = 0;
        for (var i = 2; i < limit; i++)
        {
            if (composite[i]) continue;
            count++;
            for (long j = (long)i * i; j < limit; j += i) composite[j] = true;
        }
        return count;
    }

    /// <summary>The HTML of the home page, rendered at <paramref name="now"/>.</summary>
    public static string Render(DateTimeOffset now) => Render(now, "");

    /// <summary>The HTML of the home page, rendered at <paramref name="now"/>, with <paramref name="sidebar"/> (HTML) after the heading.</summary>
    public static string Render(DateTimeOffset now, string sidebar)
    {
        var primes = CountPrimes(4_000_000);
        return $"""
            <!doctype html>
            <html><head><title>FunctionalCache demo</title></head><body>
            <h1>FunctionalCache demo</h1>
            {sidebar}
            <p>There are {primes} primes below 4,000,000 (computed at {now:HH:mm:ss.fff} UTC; cached for 60 s by the per-site cache).</p>
            <ul>
              <li><a href="/foo/1/">/foo/1/</a> and <a href="/foo/23/">/foo/23/</a>: per-view cache (15 minutes), cached apart</li>
              <li><a href="/inbox">/inbox</a>: varies on Cookie (log in first)</li>
              <li><a href="/login?user=alice">/login?user=alice</a>: sets a cookie, so it is never stored</li>
              <li><a href="/never">/never</a>: never cached</li>
              <li><a href="/stats">/stats</a>: what each cache layer did, every number explained</li>
            </ul>
            </body></html>
            """;
    }
}
