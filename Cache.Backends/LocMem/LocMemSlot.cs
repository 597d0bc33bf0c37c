using System.Collections.Concurrent;

namespace FunctionalCache.Backends.LocMem;

/// <summary>
/// Where one key lives: the table of its version and its name in that table. A read of a version
/// nothing was written at has no table (<see cref="Table"/> is null) and finds nothing.
/// </summary>
internal readonly record struct LocMemSlot(ConcurrentDictionary<string, LocMemEntry>? Table, string Name)
{
    public bool TryGet(out LocMemEntry entry)
    {
        if (Table is not null && Table.TryGetValue(Name, out entry!)) return true;
        entry = null!;
        return false;
    }
}
