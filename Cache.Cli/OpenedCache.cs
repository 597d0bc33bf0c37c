namespace FunctionalCache.Cli;

/// <summary>A cache opened from a URI for one command; disposing it releases what the backend holds (connections, handles).</summary>
/// <param name="Uri">The URI as given.</param>
/// <param name="Cache">The cache it built.</param>
internal sealed record OpenedCache(string Uri, ICache Cache) : IAsyncDisposable
{
    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        switch (Cache)
        {
            case IAsyncDisposable a:
                await a.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }
    }
}
