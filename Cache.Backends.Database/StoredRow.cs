namespace FunctionalCache.Backends.Database;

/// <summary>One row of the cache table as Dapper (or the prepared read on SQLite) reads it.</summary>
internal sealed class StoredRow
{
    /// <summary>The kind of a stored null: an empty value that is not a payload.</summary>
    public const long NullKind = 1;

    public string Key { get; set; } = "";
    public byte[] Value { get; set; } = [];
    public long Kind { get; set; }
    public long Expires { get; set; }

    public object Payload => Kind == NullKind ? StoredNull.Instance : Value;

    public bool IsLiveAt(long now) => Expires > now;
}
