namespace HitRate;

/// <summary>
/// A textbook least-recently-used list of exactly <c>capacity</c> entries, evicting one at a time: the
/// policy locmem approximates, shown on the console so that a gap to ConcurrentLru can be split into
/// what the policy costs (LRU against a segmented LRU) and what culling in batches costs.
/// </summary>
internal sealed class ExactLruContender(int capacity) : Contender
{
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(capacity + 1);
    private readonly LinkedList<string> _order = new();

    public override string Series => "exact LRU (reference)";

    public override bool Lookup(string key)
    {
        if (_nodes.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return true;
        }
        _nodes[key] = _order.AddFirst(key);
        if (_nodes.Count > capacity)
        {
            _nodes.Remove(_order.Last!.Value);
            _order.RemoveLast();
        }
        return false;
    }
}
