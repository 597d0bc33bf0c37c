using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends;

/// <summary>
/// Increment on a stored payload, the pure half of every backend's atomic increment: ASCII decimal
/// bytes (the serialized form of every integer) or a boxed integer (reference stores) in, the new
/// payload of the same form and type out.
/// </summary>
internal static class PayloadArithmetic
{
    /// <summary>The payload holding <c>stored + delta</c> and that value, or why there is none.</summary>
    public static Either<CacheError, (object Payload, long Value)> Add(string key, object payload, long delta)
    {
        try
        {
            return payload switch
            {
                byte[] bytes => IntegerText.Parse(bytes).Match(
                    n => Right<CacheError, (object, long)>(Bytes(checked(n + delta))),
                    () => Left<CacheError, (object, long)>(new CacheError.NotAnInteger(key))),
                // Every serializing backend stores the string "42" as the bytes of 42, so a reference
                // store treats a decimal string as a counter too, and keeps it a string.
                string text => IntegerText.Parse(System.Text.Encoding.UTF8.GetBytes(text)).Match(
                    n => Right<CacheError, (object, long)>(Text(checked(n + delta))),
                    () => Left<CacheError, (object, long)>(new CacheError.NotAnInteger(key))),
                long n => Boxed(checked(n + delta), v => v),
                int n => Boxed(checked(n + delta), v => checked((int)v)),
                short n => Boxed(checked(n + delta), v => checked((short)v)),
                sbyte n => Boxed(checked(n + delta), v => checked((sbyte)v)),
                byte n => Boxed(checked(n + delta), v => checked((byte)v)),
                ushort n => Boxed(checked(n + delta), v => checked((ushort)v)),
                uint n => Boxed(checked(n + delta), v => checked((uint)v)),
                _ => Left<CacheError, (object, long)>(new CacheError.NotAnInteger(key)),
            };
        }
        catch (OverflowException)
        {
            return Left<CacheError, (object, long)>(new CacheError.Overflow(key));
        }
    }

    private static (object, long) Bytes(long value) => (IntegerText.Format(value), value);

    private static (object, long) Text(long value) => (value.ToString(System.Globalization.CultureInfo.InvariantCulture), value);

    private static Either<CacheError, (object, long)> Boxed<TInt>(long value, Func<long, TInt> narrow) where TInt : notnull =>
        Right<CacheError, (object, long)>((narrow(value), value));
}
