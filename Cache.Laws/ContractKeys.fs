/// The contract's groups about keys: Django's key warnings (or, for a subject that rejects bad keys, the error), and
/// the isolation by prefix, version and key function between caches on one shared store.
module internal FunctionalCache.Laws.ContractKeys

open System
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks

/// Django's invalid-key cases: which made key the warning names, and that a good key logs nothing.
let keys (subject: Subject) =
    let case = example subject
    let caseWith = exampleWith subject
    let identity = Policy.defaults |> Policy.keyFunction (fun key _ _ -> key)
    [ caseWith identity "a key with spaces or control characters warns on every operation, naming the made key" (fun f ->
          let key = "key with spaces and 清"
          expectKeyProblem subject f f.Cache key key (keyCharsWarning key))

      caseWith identity "a made key over 250 characters warns on every operation" (fun f ->
          let key = String('a', 250) + "清"
          expectKeyProblem subject f f.Cache key key (keyLengthWarning key))

      caseWith (Policy.defaults |> Policy.keyFunction (fun key _ _ -> key + ":1")) "the length rule applies to the made key, version suffix included" (fun f ->
          let key = String('a', 249)
          expectKeyProblem subject f f.Cache key (key + ":1") (keyLengthWarning (key + ":1")))

      case "the default made key is what the warning names" (fun f ->
          expectKeyProblem subject f f.Cache "key with spaces" ":1:key with spaces" (keyCharsWarning ":1:key with spaces")
          let key = String('a', 248)
          expectKeyProblem subject f f.Cache key (":1:" + key) (keyLengthWarning (":1:" + key)))

      caseWith (Policy.defaults |> Policy.prefix "site1") "the key prefix reaches the made key" (fun f ->
          expectKeyProblem subject f f.Cache "key with spaces" "site1:1:key with spaces" (keyCharsWarning "site1:1:key with spaces")
          f.Cache |> Cache.set "somekey" "value" |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "somekey" |> run) (Some "value") "a prefixed cache stores normally")

      case "a good key logs nothing" (fun f ->
          f.Cache |> Cache.set "good" "value" |> run
          f.Cache |> Cache.tryGet<string> "good" |> run |> ignore
          Expect.isEmpty f.Log.Messages "no warnings") ]

/// Django's cross-alias cases, for caches that share a store: two caches keep apart by prefix, version and key
/// function. (Where every cache owns its store these hold trivially, and the made-key cases above stand in for them.)
let sharedStore (subject: Subject) =
    let case = example subject
    if not subject.Capabilities.SharedStore then []
    else
        [ case "caches with different prefixes on one store do not see each other" (fun f ->
              let prefixed = f.Make(Policy.defaults |> Policy.prefix "cacheprefix")
              f.Cache |> Cache.set "somekey" "value" |> run
              Expect.isFalse (prefixed |> Cache.hasKey "somekey" |> run) "the prefixed cache misses"
              prefixed |> Cache.set "somekey" "value2" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "somekey" |> run) (Some "value") "default"
              Expect.equal (prefixed |> Cache.tryGet<string> "somekey" |> run) (Some "value2") "prefixed")
          case "a cache with version 2 on one store reads version 1 only when asked" (fun f ->
              let v2 = f.Make(Policy.defaults |> Policy.version 2)
              f.Cache |> Cache.set "answer1" 42 |> run
              Expect.equal (v2 |> Cache.tryGet<int> "answer1" |> run) None "v2 default"
              Expect.equal (v2 |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 version 1"
              v2 |> Cache.set "answer3" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer3" |> run) None "default"
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer3" |> run) (Some 42) "version 2")
          case "caches with one custom key function see each other, the default one does not" (fun f ->
              let custom () = f.Make(Policy.defaults |> Policy.keyFunction (fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}"))
              let custom1, custom2 = custom (), custom ()
              f.Cache |> Cache.set "answer1" 42 |> run
              Expect.equal (custom1 |> Cache.tryGet<int> "answer1" |> run) None "custom misses the default's key"
              custom1 |> Cache.set "answer2" 42 |> run
              Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "default misses the custom key"
              Expect.equal (custom2 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "the other custom cache hits") ]
