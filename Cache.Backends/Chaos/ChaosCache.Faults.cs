using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionalCache.Backends.Chaos;

// One call: its number, its fault, and what is left to do after any delay.
public sealed partial class ChaosCache
{
    private enum Verdict { Pass, Corrupt, Fail }

    private readonly record struct Entry(Verdict Verdict, CacheBackendException? Failure)
    {
        public static readonly Entry Passing = new(Verdict.Pass, null);
    }

    private async ValueTask<Entry> EnterAsync(ChaosOperation operation, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        switch (Schedule.Decide(call, operation))
        {
            case ChaosFault.FailCase:
                Interlocked.Increment(ref _failures);
                return new(Verdict.Fail, new CacheBackendException(
                    $"Chaos: call {call} ({ChaosOperationNames.Of(operation)}) failed, as scheduled ({Schedule.Description})."));
            case ChaosFault.CorruptCase when ChaosOperationNames.Reads(operation):
                Interlocked.Increment(ref _corruptions);
                return new(Verdict.Corrupt, null);
            case ChaosFault.DelayCase delay:
                Interlocked.Increment(ref _delays);
                if (Timeout is { } limit && delay.Span >= limit)
                {
                    await Task.Delay(limit, _context.Time, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _failures);
                    var waited = $"{limit.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms";
                    return new(Verdict.Fail, new CacheBackendException(
                        $"Chaos: call {call} ({ChaosOperationNames.Of(operation)}) timed out after {waited}, as scheduled ({Schedule.Description}).",
                        new TimeoutException($"The call was delayed {delay.Span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms; the timeout is {waited}.")));
                }
                await Task.Delay(delay.Span, _context.Time, cancellationToken).ConfigureAwait(false);
                return Entry.Passing;
            default:
                return Entry.Passing;
        }
    }

    /// <summary>A failure in a plain operation: thrown, or (lenient) logged, reported and answered with <paramref name="lenientAnswer"/>.</summary>
    private T Answer<T>(CacheBackendException failure, T lenientAnswer)
    {
        if (!Lenient) throw failure;
        _context.Logger.LogWarning(failure, "Cache backend {Backend} failed; answered as a miss: {Failure}", "chaos", failure.Message);
        Volatile.Read(ref _failureAnswered)?.Invoke(failure);
        return lenientAnswer;
    }

    /// <summary>The value a corrupted read finds, decoded as <typeparamref name="T"/> by the context's serializer.</summary>
    /// <exception cref="CacheSerializationException">The serializer cannot read the bytes as a <typeparamref name="T"/> (every type but <c>byte[]</c>).</exception>
    private T Corrupted<T>() => _context.Serializer.Deserialize<T>(CorruptBytes.Span);
}
