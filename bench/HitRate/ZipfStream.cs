namespace HitRate;

/// <summary>
/// A reproducible stream of key ranks drawn from a Zipf distribution: rank <c>k</c> (1-based) of
/// <c>n</c> is drawn with probability proportional to <c>1 / k^s</c>.
/// </summary>
internal static class ZipfStream
{
    /// <summary><paramref name="count"/> zero-based ranks of <paramref name="distinct"/>, from a seeded generator.</summary>
    public static int[] Draw(int distinct, double s, int count, int seed)
    {
        var cumulative = new double[distinct];
        var total = 0.0;
        for (var k = 0; k < distinct; k++)
        {
            total += 1.0 / Math.Pow(k + 1, s);
            cumulative[k] = total;
        }
        for (var k = 0; k < distinct; k++) cumulative[k] /= total;

        // The seeded Random keeps its legacy algorithm across .NET versions, so a seed names one stream.
        var random = new Random(seed);
        var ranks = new int[count];
        for (var i = 0; i < count; i++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble());
            ranks[i] = Math.Min(index >= 0 ? index : ~index, distinct - 1);
        }
        return ranks;
    }
}
