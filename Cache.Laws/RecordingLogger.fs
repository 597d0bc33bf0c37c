namespace FunctionalCache.Laws

open System
open System.Collections.Concurrent
open Microsoft.Extensions.Logging

/// An ILogger that keeps every message with its level, so laws (and tests) can pin warning texts: give it to the
/// cache through its `CacheContext`.
type RecordingLogger() =
    let records = ConcurrentQueue<LogLevel * string>()

    /// Every message logged so far with its level, oldest first.
    member _.Records = List.ofSeq records

    /// Every message logged so far, oldest first.
    member _.Messages = records |> Seq.map snd |> List.ofSeq

    /// Forgets what was logged so far.
    member _.Clear() = records.Clear()

    interface ILogger with
        member _.BeginScope<'TState>(_state: 'TState) : IDisposable = null
        member _.IsEnabled(_level) = true
        member _.Log<'TState>(level: LogLevel, _id: EventId, state: 'TState, error: exn, formatter: Func<'TState, exn, string>) =
            records.Enqueue(level, formatter.Invoke(state, error))
