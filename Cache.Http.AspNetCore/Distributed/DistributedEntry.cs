using System.Buffers.Binary;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http.Distributed;

/// <summary>
/// What <see cref="FunctionalDistributedCache"/> stores: the value with its absolute deadline and sliding window in a
/// 17-byte header (a format byte, two big-endian tick counts; zero = none), so a read can slide the expiry.
/// </summary>
/// <param name="AbsoluteTicks">UTC ticks of the absolute deadline, or 0.</param>
/// <param name="SlidingTicks">The sliding window in ticks, or 0.</param>
/// <param name="Value">The caller's bytes.</param>
internal sealed record DistributedEntry(long AbsoluteTicks, long SlidingTicks, byte[] Value)
{
    private const byte Format = 1;
    private const int HeaderLength = 17;

    public byte[] Encode()
    {
        var bytes = new byte[HeaderLength + Value.Length];
        bytes[0] = Format;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), AbsoluteTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9), SlidingTicks);
        Value.CopyTo(bytes, HeaderLength);
        return bytes;
    }

    /// <summary>The entry in <paramref name="bytes"/>, or None for bytes this adapter did not write.</summary>
    public static Option<DistributedEntry> Decode(byte[] bytes) =>
        bytes.Length < HeaderLength || bytes[0] != Format
            ? None
            : Some(new DistributedEntry(
                BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)),
                BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9)),
                bytes.AsSpan(HeaderLength).ToArray()));

    /// <summary>How long the entry should live from <paramref name="now"/>: the sliding window capped by the absolute deadline.</summary>
    public Option<TimeSpan> LifetimeFrom(DateTimeOffset now)
    {
        Option<TimeSpan> absolute = AbsoluteTicks == 0 ? None : Some(new DateTimeOffset(AbsoluteTicks, TimeSpan.Zero) - now);
        Option<TimeSpan> sliding = SlidingTicks == 0 ? None : Some(TimeSpan.FromTicks(SlidingTicks));
        return (absolute.Case, sliding.Case) switch
        {
            (TimeSpan a, TimeSpan s) => a < s ? a : s,
            (TimeSpan a, _) => a,
            (_, TimeSpan s) => s,
            _ => None,
        };
    }
}
