namespace HitRate;

/// <summary>A bounded cache used cache-aside: read the key, and on a miss store it.</summary>
internal abstract class Contender : IDisposable
{
    protected static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    /// <summary>The series name of bench/RESULTS.md.</summary>
    public abstract string Series { get; }

    /// <summary>Reads <paramref name="key"/>; on a miss stores it. True on a hit.</summary>
    public abstract bool Lookup(string key);

    public virtual void Dispose() { }
}
