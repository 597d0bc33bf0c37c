namespace FunctionalCache.Backends.Memcached;

/// <summary>The kind of a meta protocol response line.</summary>
internal enum MemcachedReply
{
    /// <summary><c>VA size flags</c>: a value follows.</summary>
    Value,
    /// <summary><c>HD</c>: success without a value.</summary>
    Header,
    /// <summary><c>EN</c>: miss.</summary>
    Miss,
    /// <summary><c>NF</c>: not found.</summary>
    NotFound,
    /// <summary><c>NS</c>: not stored.</summary>
    NotStored,
    /// <summary><c>EX</c>: CAS mismatch.</summary>
    Exists,
    /// <summary><c>MN</c>: end of a pipeline.</summary>
    NoOp,
    /// <summary><c>OK</c> (flush_all).</summary>
    Ok,
    /// <summary><c>SERVER_ERROR object too large for cache</c>.</summary>
    TooLarge,
    /// <summary><c>CLIENT_ERROR cannot increment or decrement non-numeric value</c>.</summary>
    NonNumeric,
    /// <summary>Any other <c>ERROR</c>, <c>CLIENT_ERROR</c> or <c>SERVER_ERROR</c>.</summary>
    Error,
}

/// <summary>One parsed response line: its kind, the value size and the flags returned.</summary>
internal struct MemcachedResponse
{
    public MemcachedReply Reply;
    public int Size;
    public uint Flags;
    public ulong Cas;
    public long Ttl;
    public int Opaque;

    /// <summary>Parses a line (without CR LF).</summary>
    /// <exception cref="IOException">The line is not a meta protocol response.</exception>
    public static MemcachedResponse Parse(ReadOnlySpan<byte> line)
    {
        var r = new MemcachedResponse { Opaque = -1, Ttl = -1 };
        if (line.Length < 2) throw Bad(line);
        var code = (line[0] << 8) | line[1];
        switch (code)
        {
            case ('V' << 8) | 'A': r.Reply = MemcachedReply.Value; break;
            case ('H' << 8) | 'D': r.Reply = MemcachedReply.Header; break;
            case ('E' << 8) | 'N': r.Reply = MemcachedReply.Miss; return r;
            case ('N' << 8) | 'F': r.Reply = MemcachedReply.NotFound; break;
            case ('N' << 8) | 'S': r.Reply = MemcachedReply.NotStored; break;
            case ('E' << 8) | 'X': r.Reply = MemcachedReply.Exists; break;
            case ('M' << 8) | 'N': r.Reply = MemcachedReply.NoOp; return r;
            case ('O' << 8) | 'K': r.Reply = MemcachedReply.Ok; return r;
            default:
                var text = System.Text.Encoding.ASCII.GetString(line);
                r.Reply = text.Contains("too large", StringComparison.Ordinal) ? MemcachedReply.TooLarge
                    : text.Contains("non-numeric", StringComparison.Ordinal) ? MemcachedReply.NonNumeric
                    : text.StartsWith("ERROR", StringComparison.Ordinal) || text.StartsWith("CLIENT_ERROR", StringComparison.Ordinal) || text.StartsWith("SERVER_ERROR", StringComparison.Ordinal) ? MemcachedReply.Error
                    : throw Bad(line);
                return r;
        }
        var rest = line[2..];
        var first = true;
        while (!rest.IsEmpty)
        {
            if (rest[0] == (byte)' ') { rest = rest[1..]; continue; }
            var end = rest.IndexOf((byte)' ');
            var token = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[end..];
            if (first && r.Reply == MemcachedReply.Value) { r.Size = checked((int)Number(token, line)); first = false; continue; }
            first = false;
            switch (token[0])
            {
                case (byte)'f': r.Flags = checked((uint)Number(token[1..], line)); break;
                case (byte)'c': r.Cas = Number(token[1..], line); break;
                case (byte)'O': r.Opaque = checked((int)Number(token[1..], line)); break;
                case (byte)'t': r.Ttl = token.Length == 3 && token[1] == (byte)'-' ? -1 : checked((long)Number(token[1..], line)); break;
            }
        }
        return r;
    }

    private static ulong Number(ReadOnlySpan<byte> digits, ReadOnlySpan<byte> line)
    {
        if (digits.IsEmpty) throw Bad(line);
        ulong n = 0;
        foreach (var d in digits)
        {
            if (d < (byte)'0' || d > (byte)'9') throw Bad(line);
            n = checked(n * 10 + (ulong)(d - '0'));
        }
        return n;
    }

    private static IOException Bad(ReadOnlySpan<byte> line) =>
        new($"memcached sent a line that is not a meta protocol response: '{System.Text.Encoding.ASCII.GetString(line[..Math.Min(line.Length, 80)])}'");
}
