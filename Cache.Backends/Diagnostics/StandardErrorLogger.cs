using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Diagnostics;

/// <summary>
/// The logger of <see cref="CacheContext.Default"/>: where a cache built without dependency injection reports what
/// it ignored (URI warnings, key warnings) and backend faults. Each warning or error becomes one line on standard
/// error, <c>FunctionalCache: warning: …</c>, with control characters shown as escapes; anything below
/// <see cref="LogLevel.Warning"/> is dropped.
/// </summary>
/// <remarks>
/// As Python's default warning filter does for Django's <c>CacheKeyWarning</c>, a message is written once per process:
/// a bad key read in a loop gives one line, not one per call. The first <see cref="RememberedMessages"/> distinct
/// messages are remembered; past them every message is written (memory stays bounded). Standard error is looked up
/// on every write, so <see cref="Console.SetError"/> redirects it. Thread-safe.
/// </remarks>
internal sealed class StandardErrorLogger : ILogger
{
    /// <summary>How many distinct messages are remembered to be written only once.</summary>
    public const int RememberedMessages = 1024;

    private readonly Func<TextWriter> _error;
    private readonly ConcurrentDictionary<string, bool> _written = new(StringComparer.Ordinal);

    /// <summary>A logger writing to whatever <paramref name="error"/> returns at each write.</summary>
    public StandardErrorLogger(Func<TextWriter> error) => _error = error;

    /// <summary>The process-wide logger on <see cref="Console.Error"/>.</summary>
    public static StandardErrorLogger Instance { get; } = new(static () => Console.Error);

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = $"FunctionalCache: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {MessageText.Escaped(formatter(state, exception))}";
        if (_written.ContainsKey(line)) return;
        if (_written.Count < RememberedMessages && !_written.TryAdd(line, true)) return;
        _error().WriteLine(line);
    }
}
