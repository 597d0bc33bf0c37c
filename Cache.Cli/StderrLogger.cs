using Microsoft.Extensions.Logging;

namespace FunctionalCache.Cli;

/// <summary>
/// The logger the CLI hands to the cache: warnings and errors (URI warnings, key warnings) go to
/// standard error as <c>fcache: warning: …</c>; anything below <see cref="LogLevel.Warning"/> is dropped, and so
/// is a backend failure a lenient cache logs as it answers it as a miss (memcached): every command asks in the form
/// that returns the failure (the Try methods, incr's Either) and reports it as its one line, exit 3.
/// </summary>
/// <remarks>Thread-safe: <see cref="TextWriter.Synchronized"/> guards the writer.</remarks>
internal sealed class StderrLogger : ILogger
{
    private readonly TextWriter _error;

    /// <summary>A logger writing to <paramref name="error"/>.</summary>
    public StderrLogger(TextWriter error) => _error = TextWriter.Synchronized(error);

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || exception is CacheBackendException) return;
        var level = logLevel == LogLevel.Warning ? "warning" : "error";
        _error.WriteLine($"fcache: {level}: {Printable.Line(formatter(state, exception))}");
    }
}
