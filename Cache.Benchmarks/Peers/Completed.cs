namespace FunctionalCache.Benchmarks.Peers;

/// <summary>
/// Takes the result of an asynchronous cache call from a synchronous benchmark loop.
/// </summary>
/// <remarks>
/// Every contender here is memory-only, so these calls complete synchronously and the result is read
/// in place; if one ever did not, the blocking fallback would show in its time rather than hide it.
/// </remarks>
internal static class Completed
{
    public static T Result<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static T Result<T>(Task<T> task) => task.GetAwaiter().GetResult();

    public static void Wait(ValueTask task)
    {
        if (task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
        else task.AsTask().GetAwaiter().GetResult();
    }
}
