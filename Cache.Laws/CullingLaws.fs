/// Culling laws, for subjects bounded by `CachePolicy.MaxEntries`. Which entries a cull takes is each backend's own
/// choice (least recently used, nearest expiry...), so the laws check what every cull must respect: a step's answer is
/// the model's whatever was culled; a key is lost only by a step that may cull, that is a write of a key that is not
/// live into a store whose other possibly-stored entries (live, or expired and perhaps not collected yet) number
/// MaxEntries or more; the key just written survives; every survivor holds its model value; at most MaxEntries keys
/// are there after any step; CullFrequency 0 empties a full store; and overwriting a live key never culls.
module FunctionalCache.Laws.CullingLaws

open System
open FunctionalCache
open FunctionalCache.FSharp
open FunctionalCache.Laws.Arbitraries
open FunctionalCache.Laws.FreshCache

/// A live entry of the model: its value and its deadline in ticks after the start (None: never expires).
type private Live = { Value: Value; Deadline: int64 option }

/// The model of a culling run.
type private Model =
    { /// Ticks since the start.
      Now: int64
      /// The live entries, by key.
      Live: Map<string, Live>
      /// Every key that may be physically stored: live, or expired and perhaps not collected yet (a store may count
      /// those towards MaxEntries). A delete, or a Set or Touch that stores nothing, removes a key from it.
      Stored: Set<string> }

/// What a step answers.
type private Answer =
    | NoAnswer
    | Flag of bool
    | Found of Value option
    | Sum of Result<int64, string>

/// The policy's default timeout in a culling run.
let private defaultSpan = TimeSpan.FromSeconds 300.0

/// How far the clock moves when a step asks it to.
let private clockStep = TimeSpan.FromMinutes 1.0

let private keyName (CullKey k) = $"k{k}"

let private everyKey = [ for k in 0..24 -> keyName (CullKey k) ]

let private policyOf (p: SizePolicy) =
    Policy.defaults
    |> Policy.expire (Expire.after defaultSpan)
    |> Policy.maxEntries p.MaxEntries
    |> Policy.cullFrequency p.CullFrequency

/// The step with the timeouts it may write on this subject (see `FreshCache.lasting`).
let private lastingOp (capabilities: Capabilities) (op: CullOp) =
    let last = lasting capabilities
    match op with
    | CSet(k, n, t) -> CSet(k, n, last t)
    | CAdd(k, n, t) -> CAdd(k, n, last t)
    | CTouch(k, t) -> CTouch(k, last t)
    | other -> other

let private deadlineOf (now: int64) (timeout: Timeout) =
    match timeout with
    | Omitted | DefaultTimeout -> Some(now + defaultSpan.Ticks)
    | NeverExpires -> None
    | After span -> Some(now + span.Ticks)

let private put key value timeout (m: Model) =
    { m with Live = Map.add key { Value = value; Deadline = deadlineOf m.Now timeout } m.Live; Stored = Set.add key m.Stored }

let private drop key (m: Model) = { m with Live = Map.remove key m.Live; Stored = Set.remove key m.Stored }

/// One step on the model: the model after it, the answer the cache must give, and the key it stored, if any.
let private stepModel (unsigned: bool) (m: Model) (op: CullOp) : Model * Answer * string option =
    match op with
    | CSet(k, n, t) ->
        let key = keyName k
        if stores t then put key (I n) t m, NoAnswer, Some key else drop key m, NoAnswer, None
    | CSetText k ->
        let key = keyName k
        put key (S "text") NeverExpires m, NoAnswer, Some key
    | CAdd(k, n, t) ->
        let key = keyName k
        // An Add that stores nothing still answers whether it would have added.
        if m.Live.ContainsKey key then m, Flag false, None
        elif stores t then put key (I n) t m, Flag true, Some key
        else m, Flag true, None
    | CIncr(k, d) ->
        let key = keyName k
        match Map.tryFind key m.Live with
        | None -> m, Sum(Error $"KeyNotFound({key})"), None
        | Some({ Value = I n } as e) ->
            match CounterLaws.expectedCounter unsigned key (StoredInt64(int64 n)) (int64 d) with
            | Ok sum -> { m with Live = Map.add key { e with Value = I(int sum) } m.Live }, Sum(Ok sum), None
            | failed -> m, Sum failed, None
        | Some _ -> m, Sum(Error $"NotAnInteger({key})"), None
    | CDelete k ->
        let key = keyName k
        drop key m, Flag(m.Live.ContainsKey key), None
    | CGet k -> m, Found(Map.tryFind (keyName k) m.Live |> Option.map _.Value), None
    | CHasKey k -> m, Flag(m.Live.ContainsKey(keyName k)), None
    | CTouch(k, t) ->
        let key = keyName k
        match Map.tryFind key m.Live with
        | None -> m, Flag false, None
        | Some e when stores t -> { m with Live = Map.add key { e with Deadline = deadlineOf m.Now t } m.Live }, Flag true, None
        | Some _ -> drop key m, Flag true, None

/// The same step on the cache; a read takes the type the model holds under the key.
let private stepCache (cache: ICache) (m: Model) (op: CullOp) : Answer =
    match op with
    | CSet(k, n, t) -> cache |> ModelMachine.setWith t (keyName k) n |> run; NoAnswer
    | CSetText k -> cache |> Cache.setFor Expire.never (keyName k) "text" |> run; NoAnswer
    | CAdd(k, n, t) -> Flag(cache |> ModelMachine.addWith t (keyName k) n |> run)
    | CIncr(k, d) -> Sum(cache |> Cache.incrBy (int64 d) (keyName k) |> run |> Result.mapError ModelMachine.errorName)
    | CDelete k -> Flag(cache |> Cache.delete (keyName k) |> run)
    | CGet k ->
        match Map.tryFind (keyName k) m.Live with
        | Some { Value = S _ } -> Found(cache |> Cache.tryGet<string> (keyName k) |> run |> Option.map S)
        | _ -> Found(cache |> Cache.tryGet<int> (keyName k) |> run |> Option.map I)
    | CHasKey k -> Flag(cache |> Cache.hasKey (keyName k) |> run)
    | CTouch(k, t) -> Flag(cache |> Cache.touch (toExpire t) (keyName k) |> run)

/// What the cache holds: the value of every key the model has live (read as its type) that is there, and every other
/// key that is there.
let private observe (cache: ICache) (m: Model) =
    let texts, ints = m.Live |> Map.partition (fun _ e -> match e.Value with S _ -> true | _ -> false)
    let found =
        [ yield! cache |> Cache.getMany<string> (Map.keys texts) |> run |> Map.toList |> List.map (fun (k, s) -> k, S s)
          yield! cache |> Cache.getMany<int> (Map.keys ints) |> run |> Map.toList |> List.map (fun (k, n) -> k, I n) ]
        |> Map.ofList
    let strays = everyKey |> List.filter (fun k -> not (m.Live.ContainsKey k) && (cache |> Cache.hasKey k |> run))
    found, strays

/// Runs the steps on a fresh store with the size policy, checking every step against the model.
let private runSteps (subject: Subject) (p: SizePolicy) (steps: (CullOp * bool) list) =
    let caps = subject.Capabilities
    let followsClock = caps.Clock = FollowsContextClock
    clocked subject (policyOf p) (fun cache clock ->
        let start = { Now = 0L; Live = Map.empty; Stored = Set.empty }
        steps
        |> List.indexed
        |> List.fold (fun (before: Model) (i, (op, thenWait)) ->
            let op = lastingOp caps op
            let at = $"step {i} ({op})"
            let after, expected, written = stepModel caps.UnsignedCounters before op
            let mayCull =
                match written with
                | Some key -> not (before.Live.ContainsKey key) && (Set.remove key before.Stored).Count >= p.MaxEntries
                | None -> false
            Expect.equal (stepCache cache before op) expected $"{at}: the answer"
            let found, strays = observe cache after
            Expect.isEmpty strays $"{at}: keys the model holds no live entry for are there"
            for KeyValue(key, value) in found do
                Expect.equal value after.Live[key].Value $"{at}: {key} holds its model value"
            written |> Option.iter (fun key -> Expect.isTrue (found.ContainsKey key) $"{at}: the key just written, {key}, is there")
            let lost = after.Live |> Map.keys |> Seq.filter (fun key -> not (found.ContainsKey key)) |> List.ofSeq
            if not mayCull && not lost.IsEmpty then
                failtestf "%s: %A lost, though the step could not cull (it wrote no new key into a store whose other possibly-stored entries reached MaxEntries)" at lost
            Expect.isLessThanOrEqual found.Count p.MaxEntries $"{at}: at most MaxEntries keys are there"
            let culled = lost |> List.fold (fun m key -> drop key m) after
            if thenWait && followsClock then
                clock.Advance clockStep
                let now = culled.Now + clockStep.Ticks
                { culled with
                    Now = now
                    Live = culled.Live |> Map.filter (fun _ e -> match e.Deadline with Some d -> d > now | None -> true) }
            else culled)
            start
        |> ignore)

/// The keys of `keys` that are there.
let private present (cache: ICache) (keys: string list) = keys |> List.filter (fun k -> cache |> Cache.hasKey k |> run)

/// Writes MaxEntries keys k0, k1... that never expire.
let private fill (cache: ICache) (p: SizePolicy) =
    let keys = [ for i in 0 .. p.MaxEntries - 1 -> $"k{i}" ]
    for i, key in List.indexed keys do cache |> Cache.setFor Expire.never key i |> run
    keys

/// The culling laws of the subject (none for a subject that does not cull).
let laws (subject: Subject) : Law list =
    if not subject.Capabilities.Culls then []
    else
        [ Law.property "after every step the answers are the model's, only a step that may cull loses keys, survivors hold their values and at most MaxEntries are there"
          <| fun (p: SizePolicy) (steps: (CullOp * bool) list) -> runSteps subject p steps

          Law.property "CullFrequency 0 empties a full store when a new key arrives" <| fun (p: SizePolicy) ->
              let p = { p with CullFrequency = 0 }
              clocked subject (policyOf p) (fun cache _ ->
                  let keys = fill cache p
                  Expect.equal (present cache keys) keys "the store is full"
                  cache |> Cache.setFor Expire.never "new" -1 |> run
                  Expect.equal (present cache ("new" :: keys)) [ "new" ] "only the new entry is left"
                  Expect.equal (cache |> Cache.tryGet<int> "new" |> run) (Some -1) "and it is the new key")

          Law.property "overwriting a live key in a full store never culls" <| fun (p: SizePolicy) (CullKey k) (value: int) ->
              let value = value % 1_000_000
              clocked subject (policyOf p) (fun cache _ ->
                  let keys = fill cache p
                  let key = keys[k % p.MaxEntries]
                  cache |> Cache.setFor Expire.never key value |> run
                  Expect.isEmpty (cache |> Cache.setManyFor Expire.never [ key, value ] |> run) "SetMany refuses nothing"
                  Expect.isFalse (cache |> Cache.addFor Expire.never key -1 |> run) "Add of a live key does not add"
                  Expect.equal (cache |> Cache.incr key |> run |> Result.mapError ModelMachine.errorName) (Ok(int64 value + 1L)) "Increment"
                  Expect.isTrue (cache |> Cache.touch Expire.never key |> run) "Touch finds the key"
                  Expect.equal (present cache keys) keys "every key is still there"
                  Expect.equal (cache |> Cache.tryGet<int> key |> run) (Some(value + 1)) "and the overwrites took effect") ]
        |> Law.group "culling"
