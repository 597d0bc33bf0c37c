using System.Buffers.Text;
using System.Runtime.CompilerServices;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache;

/// <summary>Integers as ASCII decimal bytes: the one stored form of a counter on every backend.</summary>
internal static class IntegerText
{
    /// <summary>The decimal bytes of <paramref name="value"/>.</summary>
    public static byte[] Format(long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, buffer, out var written);
        return buffer[..written].ToArray();
    }

    /// <summary>The integer in <paramref name="payload"/> if it is exactly an optional '-' and ASCII digits that fit a long.</summary>
    public static Option<long> Parse(ReadOnlySpan<byte> payload) =>
        TryParse(payload, out var value) ? Some(value) : None;

    /// <summary>True, with the value, when <paramref name="payload"/> is exactly an optional '-' and ASCII digits that fit a long.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out long value) =>
        Utf8Parser.TryParse(payload, out value, out var consumed) && consumed == payload.Length && payload[0] != (byte)'+';

    /// <summary>True for the integer types stored as decimal text (<see cref="long"/> down to <see cref="byte"/>, and <see cref="uint"/>).</summary>
    /// <remarks>A constant per value type once compiled: the tests below fold away.</remarks>
    public static bool IsInteger<T>() =>
        typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(short) || typeof(T) == typeof(sbyte)
        || typeof(T) == typeof(byte) || typeof(T) == typeof(ushort) || typeof(T) == typeof(uint);

    /// <summary>True, with <paramref name="value"/> as a <typeparamref name="T"/>, when it fits one (<typeparamref name="T"/> one of <see cref="IsInteger{T}"/>'s).</summary>
    /// <remarks>No boxing: each branch is taken for one value type only, and the reinterpreting casts follow its test.</remarks>
    public static bool TryNarrow<T>(long value, out T result)
    {
        result = default!;
        if (typeof(T) == typeof(long)) return Set(value, out result);
        if (typeof(T) == typeof(int)) return value is >= int.MinValue and <= int.MaxValue && Set((int)value, out result);
        if (typeof(T) == typeof(short)) return value is >= short.MinValue and <= short.MaxValue && Set((short)value, out result);
        if (typeof(T) == typeof(sbyte)) return value is >= sbyte.MinValue and <= sbyte.MaxValue && Set((sbyte)value, out result);
        if (typeof(T) == typeof(byte)) return value is >= byte.MinValue and <= byte.MaxValue && Set((byte)value, out result);
        if (typeof(T) == typeof(ushort)) return value is >= ushort.MinValue and <= ushort.MaxValue && Set((ushort)value, out result);
        if (typeof(T) == typeof(uint)) return value is >= uint.MinValue and <= uint.MaxValue && Set((uint)value, out result);
        return false;
    }

    /// <summary><paramref name="value"/> as a <see cref="long"/> (<typeparamref name="T"/> one of <see cref="IsInteger{T}"/>'s).</summary>
    /// <remarks>No boxing: each branch is taken for one value type only, and reads the value as that type.</remarks>
    public static long Widen<T>(T value)
    {
        if (typeof(T) == typeof(long)) return Unsafe.As<T, long>(ref value);
        if (typeof(T) == typeof(int)) return Unsafe.As<T, int>(ref value);
        if (typeof(T) == typeof(short)) return Unsafe.As<T, short>(ref value);
        if (typeof(T) == typeof(sbyte)) return Unsafe.As<T, sbyte>(ref value);
        if (typeof(T) == typeof(byte)) return Unsafe.As<T, byte>(ref value);
        if (typeof(T) == typeof(ushort)) return Unsafe.As<T, ushort>(ref value);
        if (typeof(T) == typeof(uint)) return Unsafe.As<T, uint>(ref value);
        throw new ArgumentException($"{typeof(T)} is not an integer type stored as text.", nameof(value));
    }

    private static bool Set<TFrom, T>(TFrom value, out T result)
    {
        result = Unsafe.As<TFrom, T>(ref value);
        return true;
    }
}
