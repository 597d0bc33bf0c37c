namespace FunctionalCache.Backends.Chaos;

/// <summary>A uniform number in [0, 1) that is a pure function of a seed, a salt and a call number.</summary>
/// <remarks>
/// SplitMix64's finaliser over the three inputs: no generator state, so a call's draw does not depend on which calls
/// came before it or on which thread made it. Pure and thread-safe.
/// </remarks>
internal static class ChaosDraw
{
    public static double Uniform(int seed, int salt, long call)
    {
        unchecked
        {
            var z = (ulong)call * 0x9E3779B97F4A7C15UL + (ulong)(uint)seed * 0xBF58476D1CE4E5B9UL + (ulong)salt * 0x94D049BB133111EBUL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            // The top 53 bits: every double in [0, 1) with that spacing is equally likely.
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
