namespace FunctionalCache.Backends.Memcached;

/// <summary>One answer to a single-key meta command: its line and, for a <c>VA</c> line, the value.</summary>
/// <param name="Line">The parsed response line.</param>
/// <param name="Value">The value's bytes for a <see cref="MemcachedReply.Value"/> line; null otherwise.</param>
internal readonly record struct MemcachedAnswer(MemcachedResponse Line, byte[]? Value)
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>
    /// Takes one whole answer from the front of <paramref name="received"/>: false (nothing used) while it is incomplete.
    /// </summary>
    /// <exception cref="IOException">The line does not parse, or a value does not end with CR LF.</exception>
    public static bool TryTake(ReadOnlySpan<byte> received, out MemcachedAnswer answer, out int used)
    {
        answer = default;
        used = 0;
        var lineEnd = received.IndexOf(Crlf);
        if (lineEnd < 0) return false;
        var line = MemcachedResponse.Parse(received[..lineEnd]);
        var valueStart = lineEnd + 2;
        if (line.Reply != MemcachedReply.Value)
        {
            answer = new MemcachedAnswer(line, null);
            used = valueStart;
            return true;
        }
        if (received.Length - valueStart < line.Size + 2) return false;
        if (received[valueStart + line.Size] != (byte)'\r' || received[valueStart + line.Size + 1] != (byte)'\n')
            throw new IOException("memcached sent a value without its closing CR LF.");
        answer = new MemcachedAnswer(line, received.Slice(valueStart, line.Size).ToArray());
        used = valueStart + line.Size + 2;
        return true;
    }
}
