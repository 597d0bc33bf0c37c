namespace FunctionalCache.Laws

open System
open FsCheck
open FsCheck.FSharp

/// A law's check failed: the message says what was expected and what the cache did.
exception LawViolation of string

/// How a law is checked.
type LawCheck =
    /// An example (one of Django's `BaseCacheTests` cases): runs once, throws `LawViolation` when broken.
    | Example of (unit -> unit)
    /// A property: FsCheck generates cases (from `Arbitraries.Generators` and the law's own generators), and shrinks
    /// a failure to a small counterexample. `maxTest` overrides the configured number of cases.
    | Generated of property: Property * maxTest: int option

/// One law about a cache: where it sits (`["timeouts"; "touch gives a live entry a new timeout"]`) and its check.
type Law =
    { Path: string list
      Check: LawCheck }
    /// The law's path joined with " / ".
    member law.Name = String.Join(" / ", law.Path)

/// Builds laws.
[<RequireQualifiedAccess>]
module Law =

    /// An example law.
    let example (name: string) (body: unit -> unit) = { Path = [ name ]; Check = Example body }

    /// A property law over a testable value (a function of generated arguments, or a `Property`).
    let property (name: string) (testable: 'T) = { Path = [ name ]; Check = Generated(Prop.ofTestable testable, None) }

    /// As `property`, with its own number of cases (long model runs want fewer).
    let propertyWith (maxTest: int) (name: string) (testable: 'T) =
        { Path = [ name ]; Check = Generated(Prop.ofTestable testable, Some maxTest) }

    /// The laws under a group name.
    let group (name: string) (laws: Law list) = laws |> List.map (fun l -> { l with Path = name :: l.Path })

/// The assertions laws are written with: each throws `LawViolation` with the caller's message and what differed.
/// Named after Expecto's, so a law reads like the test it came from, and internal so they never clash with it.
module internal Expect =

    let private fail (text: string) = raise (LawViolation text)

    let equal (actual: 'a) (expected: 'a) (message: string) =
        if actual <> expected then fail $"{message}. Expected %A{expected}, but the cache gave %A{actual}"

    let notEqual (actual: 'a) (unexpected: 'a) (message: string) =
        if actual = unexpected then fail $"{message}. Expected anything but %A{unexpected}"

    let isTrue (actual: bool) (message: string) = if not actual then fail $"{message}. Expected true"

    let isFalse (actual: bool) (message: string) = if actual then fail $"{message}. Expected false"

    let isNull (actual: 'a) (message: string) =
        if not (obj.ReferenceEquals(actual, null)) then fail $"{message}. Expected null, but the cache gave %A{actual}"

    let isNone (actual: 'a option) (message: string) =
        if actual.IsSome then fail $"{message}. Expected None, but the cache gave %A{actual}"

    let isSome (actual: 'a option) (message: string) = if actual.IsNone then fail $"{message}. Expected Some, got None"

    let isEmpty (actual: 'a seq) (message: string) =
        if not (Seq.isEmpty actual) then fail $"{message}. Expected nothing, but the cache gave %A{List.ofSeq actual}"

    let stringContains (actual: string) (part: string) (message: string) =
        if obj.ReferenceEquals(actual, null) || not (actual.Contains part) then fail $"{message}. Expected a text containing %A{part}, got %A{actual}"

    let isLessThanOrEqual (actual: 'a) (bound: 'a) (message: string) =
        if actual > bound then fail $"{message}. Expected at most %A{bound}, got %A{actual}"

/// `failtestf` for laws.
[<AutoOpen>]
module internal Failing =
    let failtestf format = Printf.ksprintf (fun text -> raise (LawViolation text)) format

    /// Waits for a task, as a law calls the async API.
    let run (t: Threading.Tasks.Task<'a>) : 'a = t.GetAwaiter().GetResult()

    /// Waits for a task without a result.
    let runUnit (t: Threading.Tasks.Task) : unit = t.GetAwaiter().GetResult()
