namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// A line of a classic multi-key <c>get</c> answer: <c>VALUE key flags bytes</c> (a hit, matched to the index of
/// the key asked for) or <c>END</c>.
/// </summary>
internal readonly record struct ClassicValue(bool IsEnd, int Index, uint Flags, int Size)
{
    public static ClassicValue End => new(true, -1, 0, 0);

    /// <summary>
    /// Reads one answer line. <paramref name="next"/> is the first asked key not yet answered; it moves past the
    /// matched key (misses are skipped on the way).
    /// </summary>
    /// <exception cref="IOException">The line is neither <c>VALUE</c> for a key still to come nor <c>END</c>.</exception>
    public static ClassicValue Parse(ReadOnlySpan<byte> line, MemcachedKeyBatch keys, int[]? nodeOf, int node, ref int next)
    {
        if (line.SequenceEqual("END"u8)) return End;
        if (!line.StartsWith("VALUE "u8)) throw Bad(line);
        var rest = line[6..];
        var key = Token(ref rest, line);
        var flags = Number(Token(ref rest, line), line);
        var size = Number(Token(ref rest, line), line);
        if (flags > uint.MaxValue || size > int.MaxValue) throw Bad(line);
        for (; next < keys.Count; next++)
        {
            if ((nodeOf is null || nodeOf[next] == node) && keys[next].SequenceEqual(key)) return new(false, next++, (uint)flags, (int)size);
        }
        throw new IOException("memcached answered get with a key that was not asked for, or out of order.");
    }

    private static ReadOnlySpan<byte> Token(ref ReadOnlySpan<byte> rest, ReadOnlySpan<byte> line)
    {
        var end = rest.IndexOf((byte)' ');
        var token = end < 0 ? rest : rest[..end];
        rest = end < 0 ? default : rest[(end + 1)..];
        return token.IsEmpty ? throw Bad(line) : token;
    }

    private static ulong Number(ReadOnlySpan<byte> digits, ReadOnlySpan<byte> line) =>
        System.Buffers.Text.Utf8Parser.TryParse(digits, out ulong value, out var used) && used == digits.Length ? value : throw Bad(line);

    private static IOException Bad(ReadOnlySpan<byte> line) =>
        new($"memcached answered get with an unexpected line: {System.Text.Encoding.ASCII.GetString(line[..Math.Min(line.Length, 80)])}");
}
