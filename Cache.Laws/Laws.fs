namespace FunctionalCache.Laws

open System
open System.Diagnostics
open FsCheck

/// How `Laws.check` runs the laws.
type LawConfig =
    { /// Cases per property law, unless the law sets its own.
      MaxTest: int
      /// Runs only the laws whose name (`group / name`) this accepts.
      Only: string -> bool
      /// FsCheck's seed and gamma of an earlier failing run (`LawReport` prints them), to replay it exactly.
      Replay: (uint64 * uint64) option
      /// Generator classes beside `Arbitraries.Generators`.
      Arbitrary: Type list }

    /// 100 cases per property, every law, a fresh seed.
    static member defaults = { MaxTest = 100; Only = (fun _ -> true); Replay = None; Arbitrary = [] }

    /// The configuration with `maxTest` cases per property (for C#, as `with` is for F#).
    member c.WithMaxTest(maxTest: int) = { c with MaxTest = maxTest }

    /// The configuration running only the laws whose name `only` accepts.
    member c.WithOnly(only: Func<string, bool>) = { c with Only = only.Invoke }

    /// The configuration replaying a failing run from the seed and gamma its report printed.
    member c.WithReplay(seed: uint64, gamma: uint64) = { c with Replay = Some(seed, gamma) }

/// What became of one law.
type LawOutcome =
    /// It held, over this many generated cases (1 for an example).
    | Held of cases: int
    /// It was broken: FsCheck's report (the shrunk counterexample, the seed to replay it) or the example's message.
    | Broken of report: string

/// One law's result, and how long it took.
type LawResult =
    { Law: string
      Outcome: LawOutcome
      Elapsed: TimeSpan }

/// Every law's result for one subject.
type LawReport =
    { Subject: string
      Results: LawResult list }

    /// True when every law held.
    member r.Passed = r.Results |> List.forall (fun x -> match x.Outcome with Held _ -> true | Broken _ -> false)

    /// The broken laws.
    member r.Failures = r.Results |> List.filter (fun x -> match x.Outcome with Broken _ -> true | Held _ -> false)

    /// One line per law, then the report of each broken law.
    override r.ToString() =
        let line (x: LawResult) =
            match x.Outcome with
            | Held n -> sprintf "  held    %s (%d case%s)" x.Law n (if n = 1 then "" else "s")
            | Broken _ -> sprintf "  BROKEN  %s" x.Law
        let broken =
            [ for x in r.Failures do
                  match x.Outcome with
                  | Broken text -> yield sprintf "\n%s:\n%s" x.Law (text.TrimEnd())
                  | Held _ -> () ]
        let held = r.Results.Length - r.Failures.Length
        String.Join("\n", [ sprintf "%s: %d of %d laws held" r.Subject held r.Results.Length ] @ (r.Results |> List.map line) @ broken)

/// Catches FsCheck's verdict instead of printing or throwing it.
type private Capture() =
    member val Result: TestResult option = None with get, set
    interface IRunner with
        member _.OnStartFixture _ = ()
        member _.OnArguments(_, _, _) = ()
        member _.OnShrink(_, _) = ()
        member this.OnFinished(_, result) = this.Result <- Some result

/// Runs laws with no test framework: from xUnit, NUnit, MSTest or a console.
[<RequireQualifiedAccess>]
module Laws =

    /// The FsCheck configuration of a property law.
    let fsCheckConfig (config: LawConfig) (maxTest: int option) =
        let c =
            Config.Quick
                .WithMaxTest(defaultArg maxTest config.MaxTest)
                .WithArbitrary(typeof<Arbitraries.Generators> :: config.Arbitrary)
                .WithQuietOnSuccess(true)
        match config.Replay with
        | Some(seed, gamma) -> c.WithReplay(Some { Rnd = Rnd(seed, gamma); Size = None })
        | None -> c

    let private runOne (config: LawConfig) (law: Law) =
        let watch = Stopwatch.StartNew()
        let outcome =
            match law.Check with
            | Example body ->
                try
                    body ()
                    Held 1
                with
                | LawViolation text -> Broken text
                | e -> Broken(sprintf "threw %s" (string e))
            | Generated(property, maxTest) ->
                let capture = Capture()
                Check.One((fsCheckConfig config maxTest).WithRunner(capture), property)
                match capture.Result with
                | Some(TestResult.Passed(data, _)) -> Held data.NumberOfTests
                | Some result -> Broken((Runner.onFinishedToString "" result).TrimStart('-')) // the report names the law already
                | None -> Broken "FsCheck gave no verdict"
        { Law = law.Name; Outcome = outcome; Elapsed = watch.Elapsed }

    /// Checks the given laws against a subject's name.
    let checkLaws (config: LawConfig) (subjectName: string) (laws: Law list) : LawReport =
        { Subject = subjectName
          Results = laws |> List.filter (fun l -> config.Only l.Name) |> List.map (runOne config) }

    /// Every law that applies to the subject: Django's contract examples, the property laws, and the model machine.
    let all (subject: Subject) : Law list =
        Law.group "contract" (Contract.laws subject) @ Law.group "laws" (PropertyLaws.laws subject) @ ModelMachine.laws subject

    /// Checks every law that applies to the subject (`all`), as `config` says, and reports each law's outcome.
    let check (config: LawConfig) (subject: Subject) : LawReport = checkLaws config subject.Name (all subject)

    /// Throws `LawViolation` with the whole report when a law was broken: the one line a test needs.
    let throwOnFailure (report: LawReport) = if not report.Passed then raise (LawViolation(string report))
