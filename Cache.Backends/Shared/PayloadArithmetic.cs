using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>
/// Increment on a stored payload, the pure half of every backend's atomic increment: ASCII decimal
/// bytes (the serialized form of every integer) or a boxed integer (reference stores) in, the new
/// payload of the same form and type out.
/// </summary>
/// <remarks>
/// Counters are signed 64-bit on every backend. A stored integer outside <see cref="long"/>'s range (a decimal
/// text such as memcached's 18446744073709551615, or a boxed <see cref="ulong"/> or <see cref="Int128"/>) is
/// <see cref="CacheError.Overflow"/>, like a sum past <see cref="long.MaxValue"/> or <see cref="long.MinValue"/>;
/// a reference store's narrower boxed type (an <see cref="int"/>) overflows at its own bounds. Anything that is not
/// an optional '-' and ASCII digits is <see cref="CacheError.NotAnInteger"/>.
/// </remarks>
internal static class PayloadArithmetic
{
    /// <summary>The payload holding <c>stored + delta</c> and that value, or why there is none.</summary>
    public static Either<CacheError, (object Payload, long Value)> Add(string key, object payload, long delta)
    {
        try
        {
            return payload switch
            {
                byte[] bytes => Decimal(key, bytes, delta, Bytes),
                // Every serializing backend stores the string "42" as the bytes of 42, so a reference
                // store treats a decimal string as a counter too, and keeps it a string.
                string text => Decimal(key, System.Text.Encoding.UTF8.GetBytes(text), delta, Text),
                long n => Boxed(checked(n + delta), v => v),
                int n => Boxed(checked(n + delta), v => checked((int)v)),
                short n => Boxed(checked(n + delta), v => checked((short)v)),
                sbyte n => Boxed(checked(n + delta), v => checked((sbyte)v)),
                byte n => Boxed(checked(n + delta), v => checked((byte)v)),
                ushort n => Boxed(checked(n + delta), v => checked((ushort)v)),
                uint n => Boxed(checked(n + delta), v => checked((uint)v)),
                ulong n => Boxed(checked((long)n + delta), v => checked((ulong)v)),
                Int128 n => Boxed(checked((long)n + delta), v => (Int128)v),
                UInt128 n => Boxed(checked((long)n + delta), v => checked((UInt128)v)),
                _ => Left<CacheError, (object, long)>(new CacheError.NotAnInteger(key)),
            };
        }
        catch (OverflowException)
        {
            return Left<CacheError, (object, long)>(new CacheError.Overflow(key));
        }
    }

    /// <summary>True for an optional '-' and one or more ASCII digits, whatever their number: an integer in decimal.</summary>
    public static bool IsDecimalInteger(ReadOnlySpan<byte> text)
    {
        var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private static Either<CacheError, (object, long)> Decimal(string key, ReadOnlySpan<byte> text, long delta, Func<long, (object, long)> make)
    {
        var stored = IntegerText.Parse(text);
        if (stored.IsSome) return Right<CacheError, (object, long)>(make(checked(stored.IfNone(0) + delta)));
        return IsDecimalInteger(text)
            ? Left<CacheError, (object, long)>(new CacheError.Overflow(key))
            : Left<CacheError, (object, long)>(new CacheError.NotAnInteger(key));
    }

    private static (object, long) Bytes(long value) => (IntegerText.Format(value), value);

    private static (object, long) Text(long value) => (value.ToString(System.Globalization.CultureInfo.InvariantCulture), value);

    private static Either<CacheError, (object, long)> Boxed<TInt>(long value, Func<long, TInt> narrow) where TInt : notnull =>
        Right<CacheError, (object, long)>((narrow(value), value));
}
