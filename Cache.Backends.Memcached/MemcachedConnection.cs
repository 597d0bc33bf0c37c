using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// One socket to one memcached server: a reusable request buffer, a receive buffer, and the timeouts.
/// Not thread-safe: a connection serves one request round at a time (the pool sees to that).
/// </summary>
internal sealed class MemcachedConnection : IDisposable
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private readonly Socket _socket;
    private readonly MemcachedOptions _options;
    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private byte[] _in = new byte[16 * 1024];
    private int _start;
    private int _end;
    private CancellationTokenSource _timer = new();
    private CancellationTokenRegistration _callerRegistration;
    private CancellationToken _caller;

    private MemcachedConnection(Socket socket, MemcachedOptions options)
    {
        _socket = socket;
        _options = options;
    }

    /// <summary>Connects within the connect timeout.</summary>
    /// <exception cref="TimeoutException">The server did not accept in time.</exception>
    /// <exception cref="SocketException">The server refused.</exception>
    public static async ValueTask<MemcachedConnection> OpenAsync(MemcachedServer server, MemcachedOptions options, CancellationToken cancellationToken) =>
        new(await ConnectAsync(server, options, cancellationToken).ConfigureAwait(false), options);

    /// <summary>A socket connected to <paramref name="server"/> within the connect timeout (TCP or a Unix socket).</summary>
    /// <exception cref="TimeoutException">The server did not accept in time.</exception>
    /// <exception cref="SocketException">The server refused.</exception>
    public static async ValueTask<Socket> ConnectAsync(MemcachedServer server, MemcachedOptions options, CancellationToken cancellationToken)
    {
        var socket = server.IsUnixSocket ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            if (server.IsUnixSocket) await socket.ConnectAsync(new UnixDomainSocketEndPoint(server.SocketPath!), timeout.Token).ConfigureAwait(false);
            else
            {
                // Requests are small and pipelined by the client itself: Nagle would only add latency.
                socket.NoDelay = true;
                if (IPAddress.TryParse(server.Host, out var address)) await socket.ConnectAsync(new IPEndPoint(address, server.Port), timeout.Token).ConfigureAwait(false);
                else await socket.ConnectAsync(server.Host, server.Port, timeout.Token).ConfigureAwait(false);
            }
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to memcached server {server} took longer than {options.ConnectTimeout.TotalMilliseconds} ms.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // ---- writing a request ----------------------------------------------------------------------

    /// <summary>The request being written, for code shared with <see cref="MemcachedPipeline"/>.</summary>
    public MemcachedRequestText Request => new(_out);

    /// <summary>Appends ASCII text (protocol words).</summary>
    public MemcachedConnection Text(ReadOnlySpan<byte> ascii) => Bytes(ascii);

    /// <summary>Appends raw bytes (a key or a value).</summary>
    public MemcachedConnection Bytes(ReadOnlySpan<byte> bytes)
    {
        new MemcachedRequestText(_out).Bytes(bytes);
        return this;
    }

    /// <summary>Appends a decimal number.</summary>
    public MemcachedConnection Number(long value)
    {
        new MemcachedRequestText(_out).Number(value);
        return this;
    }

    /// <summary>Appends an unsigned decimal number.</summary>
    public MemcachedConnection Number(ulong value)
    {
        new MemcachedRequestText(_out).Number(value);
        return this;
    }

    /// <summary>Ends a line.</summary>
    public MemcachedConnection EndLine() => Text(Crlf);

    /// <summary>Starts a request round: arms the timer and ties it to the caller's token.</summary>
    public void Begin(CancellationToken cancellationToken)
    {
        if (!_timer.TryReset())
        {
            _timer.Dispose();
            _timer = new CancellationTokenSource();
        }
        _caller = cancellationToken;
        _callerRegistration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static t => ((CancellationTokenSource)t!).Cancel(), _timer) : default;
    }

    /// <summary>Ends a request round.</summary>
    public void End()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        _out.ResetWrittenCount();
    }

    /// <summary>Sends what was appended, within the write timeout.</summary>
    public async ValueTask SendAsync()
    {
        _timer.CancelAfter(_options.WriteTimeout);
        try
        {
            var data = _out.WrittenMemory;
            while (!data.IsEmpty)
            {
                var sent = await _socket.SendAsync(data, SocketFlags.None, _timer.Token).ConfigureAwait(false);
                if (sent <= 0) throw new IOException("memcached closed the connection while a request was sent.");
                data = data[sent..];
            }
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw new TimeoutException($"Sending to memcached took longer than {_options.WriteTimeout.TotalMilliseconds} ms.");
        }
    }

    // ---- reading responses ----------------------------------------------------------------------

    /// <summary>Parses the next response line if the receive buffer holds all of it (no I/O).</summary>
    public bool TryReadLine(out MemcachedResponse response)
    {
        if (!TryTakeLine(out var line))
        {
            response = default;
            return false;
        }
        response = MemcachedResponse.Parse(line);
        return true;
    }

    /// <summary>The next whole line in the receive buffer, without its CR LF, taken from it; false when none has arrived yet.</summary>
    private bool TryTakeLine(out ReadOnlySpan<byte> line)
    {
        var index = _in.AsSpan(_start, _end - _start).IndexOf(Crlf);
        if (index < 0)
        {
            line = default;
            return false;
        }
        line = _in.AsSpan(_start, index);
        _start += index + 2;
        return true;
    }

    /// <summary>Parses the next line of a classic multi-key <c>get</c> answer if the receive buffer holds all of it (no I/O).</summary>
    public bool TryReadClassicValue(out ClassicValue value, MemcachedKeyBatch keys, int[]? nodeOf, int node, ref int next)
    {
        if (!TryTakeLine(out var line))
        {
            value = default;
            return false;
        }
        value = ClassicValue.Parse(line, keys, nodeOf, node, ref next);
        return true;
    }

    /// <summary>Reads and parses one response line, within the read timeout.</summary>
    public ValueTask<MemcachedResponse> ReadAsync() => TryReadLine(out var response) ? new(response) : ReadSlowAsync();

    private async ValueTask<MemcachedResponse> ReadSlowAsync()
    {
        MemcachedResponse response;
        do await FillAsync().ConfigureAwait(false);
        while (!TryReadLine(out response));
        return response;
    }

    /// <summary>Takes a value of <paramref name="size"/> bytes and its closing CR LF if the receive buffer holds them (no I/O).</summary>
    /// <exception cref="IOException">The value does not end with CR LF.</exception>
    public bool TryReadValue(int size, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? value)
    {
        if (_end - _start < size + 2)
        {
            value = null;
            return false;
        }
        if (_in[_start + size] != (byte)'\r' || _in[_start + size + 1] != (byte)'\n') throw new IOException("memcached sent a value without its closing CR LF.");
        value = size == 0 ? [] : _in.AsSpan(_start, size).ToArray();
        _start += size + 2;
        return true;
    }

    /// <summary>Reads a value of <paramref name="size"/> bytes and its closing CR LF.</summary>
    public ValueTask<byte[]> ReadValueAsync(int size) => TryReadValue(size, out var value) ? new(value) : ReadValueSlowAsync(size);

    private async ValueTask<byte[]> ReadValueSlowAsync(int size)
    {
        var value = size == 0 ? [] : new byte[size];
        var copied = Math.Min(size, _end - _start);
        _in.AsSpan(_start, copied).CopyTo(value);
        _start += copied;
        while (copied < size)
        {
            // Large values go straight into their array, not through the receive buffer.
            _timer.CancelAfter(_options.ReadTimeout);
            copied += await ReceiveValueAsync(value.AsMemory(copied)).ConfigureAwait(false);
        }
        while (_end - _start < 2) await FillAsync().ConfigureAwait(false);
        if (_in[_start] != (byte)'\r' || _in[_start + 1] != (byte)'\n') throw new IOException("memcached sent a value without its closing CR LF.");
        _start += 2;
        return value;
    }

    /// <summary>Receives more bytes into the receive buffer, within the read timeout.</summary>
    public ValueTask FillAsync()
    {
        if (_start == _end) _start = _end = 0;
        else if (_start > 0)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _in.Length) Array.Resize(ref _in, _in.Length * 2);
        _timer.CancelAfter(_options.ReadTimeout);
        var receive = ReceiveAsync(_in.AsMemory(_end));
        if (receive.IsCompletedSuccessfully)
        {
            _end += receive.Result;
            return default;
        }
        return FillSlowAsync(receive);
    }

    // One state machine between the caller and the socket: ReceiveAsync's own wait is not async.
    private async ValueTask FillSlowAsync(ValueTask<int> receive)
    {
        int read;
        try
        {
            read = await receive.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw ReadTimeout();
        }
        _end += read > 0 ? read : throw Closed();
    }

    /// <summary>Starts a receive: completed when the socket had bytes (0 bytes = closed, thrown); otherwise the socket's own pending receive.</summary>
    private ValueTask<int> ReceiveAsync(Memory<byte> into)
    {
        var receive = _socket.ReceiveAsync(into, SocketFlags.None, _timer.Token);
        if (!receive.IsCompletedSuccessfully) return receive;
        var read = receive.Result;
        return read > 0 ? new(read) : throw Closed();
    }

    private async ValueTask<int> ReceiveValueAsync(Memory<byte> into)
    {
        int read;
        try
        {
            read = await ReceiveAsync(into).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            throw ReadTimeout();
        }
        return read > 0 ? read : throw Closed();
    }

    private static IOException Closed() => new("memcached closed the connection.");

    private TimeoutException ReadTimeout() => new($"memcached did not answer within {_options.ReadTimeout.TotalMilliseconds} ms.");

    /// <inheritdoc/>
    public void Dispose()
    {
        _callerRegistration.Dispose();
        _socket.Dispose();
        _timer.Dispose();
    }
}
