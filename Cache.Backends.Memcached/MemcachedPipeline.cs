using System.Buffers;
using System.Net.Sockets;

namespace FunctionalCache.Backends.Memcached;

/// <summary>
/// One connection shared by every single-key request to a server. memcached answers a connection's requests in the
/// order it read them, so callers append their requests back to back and one reader hands each answer to the caller
/// whose request came first: no caller waits for another's round trip, requests that arrive together leave in one
/// send, and answers that arrive together are handed out after one receive.
/// </summary>
/// <remarks>
/// Only requests that always get exactly one answer (a line, or a <c>VA</c> line and its value) go through here; quiet
/// pipelines and multi-key rounds use the node's pooled connections. A failure of the socket, a timeout or an answer
/// that does not parse breaks the pipeline: every caller waiting on it gets the exception and the node opens a new one.
/// A caller that gives up (its token) stops waiting; its answer is still read and dropped, so the order stays right.
/// Thread-safe.
/// </remarks>
internal sealed class MemcachedPipeline : IDisposable
{
    private readonly Socket _socket;
    private readonly MemcachedOptions _options;
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource<MemcachedAnswer>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private ArrayBufferWriter<byte> _unsent = new(4096);
    private ArrayBufferWriter<byte> _sending = new(4096);
    private bool _flushing;
    private Exception? _broken;

    private MemcachedPipeline(Socket socket, MemcachedOptions options)
    {
        _socket = socket;
        _options = options;
        _ = ReadLoopAsync();
    }

    /// <summary>Connects within the connect timeout and starts reading.</summary>
    public static async ValueTask<MemcachedPipeline> OpenAsync(MemcachedServer server, MemcachedOptions options, CancellationToken cancellationToken) =>
        new(await MemcachedConnection.ConnectAsync(server, options, cancellationToken).ConfigureAwait(false), options);

    /// <summary>True once the pipeline failed: the node replaces it.</summary>
    public bool IsBroken => Volatile.Read(ref _broken) is not null;

    /// <summary>
    /// Sends one request, written by <paramref name="write"/> into the outgoing buffer, and waits for its answer.
    /// </summary>
    /// <exception cref="IOException">The connection failed or an answer did not parse (the pipeline is broken).</exception>
    /// <exception cref="TimeoutException">The server did not answer within the read timeout (the pipeline is broken).</exception>
    public async ValueTask<MemcachedAnswer> RequestAsync<TState>(TState state, Action<MemcachedRequestText, TState> write, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<MemcachedAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool flush;
        lock (_gate)
        {
            if (_broken is not null) throw new IOException(_broken.Message, _broken);
            write(new MemcachedRequestText(_unsent), state);
            // The reader's clock runs only while someone waits: an idle pipeline never times out.
            if (_waiting.Count == 0) _stop.CancelAfter(_options.ReadTimeout);
            _waiting.Enqueue(answer);
            flush = !_flushing;
            _flushing = true;
        }
        if (flush) await FlushAsync().ConfigureAwait(false);
        return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // The caller that found no flush running sends everything queued, including what others append meanwhile.
    private async ValueTask FlushAsync()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_unsent.WrittenCount == 0)
                    {
                        _flushing = false;
                        return;
                    }
                    (_unsent, _sending) = (_sending, _unsent);
                }
                var data = _sending.WrittenMemory;
                while (!data.IsEmpty)
                {
                    var sending = _socket.SendAsync(data, SocketFlags.None);
                    var sent = sending.IsCompletedSuccessfully ? sending.Result : await sending.AsTask().WaitAsync(_options.WriteTimeout).ConfigureAwait(false);
                    if (sent <= 0) throw new IOException("memcached closed the connection while requests were sent.");
                    data = data[sent..];
                }
                _sending.ResetWrittenCount();
            }
        }
        catch (Exception e)
        {
            Break(e is TimeoutException ? new TimeoutException($"Sending to memcached took longer than {_options.WriteTimeout.TotalMilliseconds} ms.") : e);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (start == end) start = end = 0;
                else if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read <= 0) throw new IOException("memcached closed the connection.");
                end += read;
                var answered = false;
                while (MemcachedAnswer.TryTake(buffer.AsSpan(start, end - start), out var answer, out var used))
                {
                    start += used;
                    TaskCompletionSource<MemcachedAnswer>? caller;
                    lock (_gate) _waiting.TryDequeue(out caller);
                    (caller ?? throw new IOException("memcached sent an answer nobody asked for.")).TrySetResult(answer);
                    answered = true;
                }
                // Progress restarts the reader's clock, once per receive rather than once per answer.
                if (answered)
                {
                    lock (_gate) _stop.CancelAfter(_waiting.Count == 0 ? Timeout.InfiniteTimeSpan : _options.ReadTimeout);
                }
            }
        }
        catch (OperationCanceledException) when (!IsBroken)
        {
            Break(new TimeoutException($"memcached did not answer within {_options.ReadTimeout.TotalMilliseconds} ms."));
        }
        catch (Exception e)
        {
            Break(e);
        }
    }

    private void Break(Exception reason)
    {
        TaskCompletionSource<MemcachedAnswer>[] waiting;
        lock (_gate)
        {
            if (_broken is not null) return;
            _broken = reason;
            waiting = _waiting.ToArray();
            _waiting.Clear();
        }
        foreach (var caller in waiting) caller.TrySetException(reason);
        _socket.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Break(new ObjectDisposedException(nameof(MemcachedPipeline)));
        _stop.Dispose();
    }
}
