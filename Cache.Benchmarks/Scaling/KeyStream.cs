namespace FunctionalCache.Benchmarks.Scaling;

/// <summary>The key streams the shared-write count replays: indexes into the key set, drawn with a fixed seed.</summary>
internal static class KeyStream
{
    /// <summary>Every key equally likely.</summary>
    public static int[] Uniform(int keys, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.Next(keys)).ToArray();
    }

    /// <summary>Key <c>i</c> (from 0) drawn with weight <c>1 / (i + 1)^s</c>: a few hot keys and a long tail.</summary>
    public static int[] Zipf(int keys, double s, int length, int seed)
    {
        var cumulative = new double[keys];
        var total = 0.0;
        for (var i = 0; i < keys; i++) cumulative[i] = total += 1 / Math.Pow(i + 1, s);
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ =>
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            return Math.Min(index < 0 ? ~index : index, keys - 1);
        }).ToArray();
    }
}
