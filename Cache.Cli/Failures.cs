namespace FunctionalCache.Cli;

/// <summary>Runs a command body and turns what it throws into a message on standard error and an exit code.</summary>
public static class Failures
{
    /// <summary>
    /// <see cref="UsageException"/>, an invalid key or another caller mistake → <see cref="ExitCodes.Usage"/>;
    /// anything else (a backend, I/O or serialization failure) → <see cref="ExitCodes.BackendFailure"/>,
    /// with the chain of causes.
    /// </summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return Report(ExitCodes.Usage, e.Message);
        }
        catch (InvalidCacheKeyException e)
        {
            return Report(ExitCodes.Usage, $"invalid key: {e.Message}");
        }
        catch (ArgumentException e)
        {
            return Report(ExitCodes.Usage, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Report(ExitCodes.BackendFailure, "cancelled.");
        }
        catch (Exception e)
        {
            return Report(ExitCodes.BackendFailure, $"backend failure: {Chain(e)}");
        }
    }

    /// <summary>Writes <c>fcache: message</c> to standard error and returns <paramref name="code"/>.</summary>
    public static int Report(int code, string message)
    {
        Console.Error.WriteLine($"fcache: {message}");
        return code;
    }

    private static string Chain(Exception e)
    {
        var text = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (!text.Contains(inner.Message, StringComparison.Ordinal)) text += $" ({inner.Message})";
        return text;
    }
}
