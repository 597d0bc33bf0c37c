using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FunctionalCache.Http.AspNetCore;

/// <summary>
/// A response body that holds everything the inner pipeline writes, so that the headers can still be changed when it
/// returns (Django's middleware sees a finished response). It turns into a pass-through ("streaming") when the
/// application disables buffering, sends a file, or writes more than the limit; then the held bytes go first.
/// </summary>
/// <remarks>One instance per request; not thread-safe, as a response body is not.</remarks>
internal sealed class ResponseBuffer : Stream, IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly long _limit;
    private readonly MemoryStream _held = new();
    private PipeWriter? _writer;
    private bool _pending;

    /// <summary>
    /// Runs <paramref name="next"/> with the response body held in a buffer (up to <paramref name="limit"/>
    /// bytes, past which it streams through), then puts the original body feature back.
    /// </summary>
    public static async Task<ResponseBuffer> CaptureAsync(HttpContext context, RequestDelegate next, long limit)
    {
        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        var buffer = new ResponseBuffer(original, limit);
        context.Features.Set<IHttpResponseBodyFeature>(buffer);
        try
        {
            await next(context).ConfigureAwait(false);
            await buffer.FinishAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(original);
        }
        return buffer;
    }

    /// <summary>The body feature this buffer stands in front of: where the held bytes finally go.</summary>
    public IHttpResponseBodyFeature Inner => _inner;

    public ResponseBuffer(IHttpResponseBodyFeature inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>True once the body passes straight through to the client.</summary>
    public bool Streaming { get; private set; }

    /// <summary>The bytes held (everything written, unless streaming).</summary>
    public ReadOnlyMemory<byte> Body => _held.GetBuffer().AsMemory(0, (int)_held.Length);

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering() => GoStreaming();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Streaming)
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            await _inner.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        GoStreaming();
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await _inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        if (_writer is not null) await _writer.FlushAsync().ConfigureAwait(false);
        if (Streaming)
        {
            await SendPendingAsync(default).ConfigureAwait(false);
            await _inner.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pushes what the application left in the pipe writer into this body, and sends held bytes if streaming.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null) await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (Streaming) await SendPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Streaming && _held.Length + buffer.Length > _limit) GoStreaming();
        if (Streaming)
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            await _inner.Stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _held.Write(buffer.Span);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!Streaming && _held.Length + count > _limit) GoStreaming();
        if (Streaming)
        {
            SendPendingAsync(default).GetAwaiter().GetResult();
            _inner.Stream.Write(buffer, offset, count);
        }
        else
        {
            _held.Write(buffer, offset, count);
        }
    }

    // A flush while holding the body is a no-op: serializers flush when they finish, which must not end buffering.
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Streaming ? FlushInnerAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush()
    {
        if (Streaming) FlushInnerAsync(default).GetAwaiter().GetResult();
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task FlushInnerAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await _inner.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void GoStreaming()
    {
        if (Streaming) return;
        Streaming = true;
        _pending = _held.Length > 0;
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        if (!_pending) return;
        _pending = false;
        await _inner.Stream.WriteAsync(Body, cancellationToken).ConfigureAwait(false);
        _held.SetLength(0);
    }
}
