using System.CommandLine;

namespace FunctionalCache.Cli;

/// <summary>
/// Turns a command's failures into one message on standard error and an exit code: what its body throws
/// (<see cref="Guard"/>) and the <see cref="CacheError"/> a Try operation returns (<see cref="Report(ParseResult, CacheError)"/>).
/// </summary>
internal static class Failures
{
    /// <summary>
    /// <see cref="UsageException"/>, an invalid key, a value that cannot be stored or another caller mistake → <see cref="ExitCodes.Usage"/>;
    /// a <see cref="CacheBackendException"/> → <see cref="ExitCodes.BackendFailure"/> with its message (which quotes its cause);
    /// anything else (an I/O failure) → <see cref="ExitCodes.BackendFailure"/>, with the chain of causes on one line.
    /// </summary>
    public static async Task<int> Guard(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return Report(parse, ExitCodes.Usage, e.Message);
        }
        catch (InvalidCacheKeyException e)
        {
            return Report(parse, ExitCodes.Usage, $"invalid key: {e.Message}");
        }
        catch (ArgumentException e)
        {
            return Report(parse, ExitCodes.Usage, e.Message);
        }
        catch (CacheSerializationException e)
        {
            // get reads bytes and decodes them itself, so only a VALUE that is not valid Unicode text (a lone surrogate) lands here.
            return Report(parse, ExitCodes.Usage, e.Message);
        }
        catch (CacheBackendException e)
        {
            // The backends' own sentence names the path, table or server and already quotes its cause.
            return Report(parse, ExitCodes.BackendFailure, $"backend failure: {OneLine(e.Message)}");
        }
        catch (OperationCanceledException)
        {
            return Report(parse, ExitCodes.BackendFailure, "cancelled.");
        }
        catch (Exception e)
        {
            return Report(parse, ExitCodes.BackendFailure, $"backend failure: {Chain(e)}");
        }
    }

    /// <summary>
    /// Reports a failure a cache answered as a value: <see cref="CacheError.BackendFailure"/> →
    /// <see cref="ExitCodes.BackendFailure"/> with the backend's message, as a thrown failure is; any other error
    /// (a missing key, a value that is not an integer) → <see cref="ExitCodes.Miss"/> with its message.
    /// </summary>
    public static int Report(ParseResult parse, CacheError error) => error switch
    {
        CacheError.BackendFailure failure => Report(parse, ExitCodes.BackendFailure, $"backend failure: {OneLine(failure.Cause.Message)}"),
        _ => Report(parse, ExitCodes.Miss, error.Message),
    };

    /// <summary>Writes <c>fcache: message</c> to the command's standard error, on one line whatever the message holds, and returns <paramref name="code"/>.</summary>
    public static int Report(ParseResult parse, int code, string message)
    {
        Terminal.Error(parse).WriteLine($"fcache: {Printable.Line(message)}");
        return code;
    }

    // One line per failure: drivers put line breaks inside their messages (SQLite: "SQL logic error\nno such table").
    private static string Chain(Exception e)
    {
        var text = OneLine(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            var message = OneLine(inner.Message);
            if (!text.Contains(message, StringComparison.Ordinal)) text += $" ({message})";
        }
        return text;
    }

    // Each distinct line once: drivers repeat themselves ("file is not a database" on both lines).
    private static string OneLine(string text) =>
        string.Join(": ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal));
}
