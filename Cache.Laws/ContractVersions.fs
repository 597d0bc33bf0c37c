/// The contract's version group: every operation addresses one version, a policy's version is the default, and
/// incr_version/decr_version move an entry between versions.
module internal FunctionalCache.Laws.ContractVersions

open System
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open FunctionalCache.Laws.ContractChecks

/// Django's version cases.
let versions (subject: Subject) =
    let case = example subject
    let caseWith = exampleWith subject
    let storesNull = subject.Capabilities.StoresNull
    [ case "get and set address one version at a time" (fun f ->
          f.Cache |> Cache.set "answer1" 42 |> run
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer1" |> run) (Some 42) "default"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "version 1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) None "version 2"
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer2" 42 |> run
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "default"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) None "version 1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "version 2")

      caseWith (Policy.defaults |> Policy.version 2) "a cache whose policy version is 2 uses it by default and version 1 when asked" (fun f ->
          f.Cache |> Cache.set "answer3" 42 |> run
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer3" |> run) (Some 42) "default"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer3" |> run) None "version 1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer3" |> run) (Some 42) "version 2"
          f.Cache |> Cache.atVersion 1 |> Cache.set "answer4" 42 |> run
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer4" |> run) None "default"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer4" |> run) (Some 42) "version 1")

      case "add is independent per version" (fun f ->
          Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.add "answer1" 42 |> run) "add v2"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2"
          Expect.isFalse (f.Cache |> Cache.atVersion 2 |> Cache.add "answer1" 37 |> run) "add v2 again"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 kept"
          Expect.isTrue (f.Cache |> Cache.atVersion 1 |> Cache.add "answer1" 37 |> run) "add v1"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 37) "v1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 still")

      case "has_key looks at one version" (fun f ->
          f.Cache |> Cache.set "answer1" 42 |> run
          Expect.isTrue (f.Cache |> Cache.hasKey "answer1" |> run) "default"
          Expect.isTrue (f.Cache |> Cache.atVersion 1 |> Cache.hasKey "answer1" |> run) "version 1"
          Expect.isFalse (f.Cache |> Cache.atVersion 2 |> Cache.hasKey "answer1" |> run) "version 2")

      case "delete removes one version only" (fun f ->
          f.Cache |> Cache.atVersion 1 |> Cache.set "answer1" 37 |> run
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer1" 42 |> run
          Expect.isTrue (f.Cache |> Cache.delete "answer1" |> run) "delete default"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) None "v1 gone"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 stays"
          f.Cache |> Cache.atVersion 1 |> Cache.set "answer2" 37 |> run
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer2" 42 |> run
          Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.delete "answer2" |> run) "delete v2"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) (Some 37) "v1 stays"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer2" |> run) None "v2 gone")

      case "incr and decr change one version only" (fun f ->
          f.Cache |> Cache.atVersion 1 |> Cache.set "answer1" 37 |> run
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer1" 42 |> run
          Expect.equal (f.Cache |> Cache.incr "answer1" |> run) (Ok 38L) "incr default"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) (Some 42) "v2 untouched"
          Expect.equal (f.Cache |> Cache.decr "answer1" |> run) (Ok 37L) "decr default"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.incr "answer1" |> run) (Ok 43L) "incr v2"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer1" |> run) (Some 37) "v1 untouched"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decr "answer1" |> run) (Ok 42L) "decr v2")

      case "get_many and set_many follow the version rules" (fun f ->
          f.Cache |> Cache.setMany [ "ford1", 37; "arthur1", 42 ] |> run |> ignore
          Expect.equal (f.Cache |> Cache.getMany<int> [ "ford1"; "arthur1" ] |> run) (Map [ "ford1", 37; "arthur1", 42 ]) "default"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.getMany<int> [ "ford1"; "arthur1" ] |> run |> Seq.length) 0 "version 2"
          f.Cache |> Cache.atVersion 2 |> Cache.setMany [ "ford2", 37; "arthur2", 42 ] |> run |> ignore
          Expect.equal (f.Cache |> Cache.getMany<int> [ "ford2"; "arthur2" ] |> run) Map.empty "default"
          let v2 = f.Cache |> Cache.atVersion 2 |> Cache.getMany<int> [ "ford2"; "arthur2" ] |> run
          Expect.equal v2 (Map [ "ford2", 37; "arthur2", 42 ]) "version 2")

      case "incr_version moves the value to the next version" (fun f ->
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer" 42 |> run
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.incrVersion "answer" |> run) (Ok 3) "new version"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer" |> run) None "v1"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer" |> run) None "v2 gone"
          Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<int> "answer" |> run) (Some 42) "v3"
          expectKeyNotFound "does_not_exist" (f.Cache |> Cache.incrVersion "does_not_exist" |> run))

      caseWith (Policy.defaults |> Policy.version 2) "incr_version on a cache with version 2 moves to 3" (fun f ->
          f.Cache |> Cache.set "answer2" 42 |> run
          Expect.equal (f.Cache |> Cache.incrVersion "answer2" |> run) (Ok 3) "new version"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "v2 gone"
          Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "v3")

      case "incr_version by 0 is a caller mistake that leaves the entry alone" (fun f ->
          f.Cache |> Cache.set "answer" 42 |> run
          let e = throws<ArgumentException> (fun () -> f.Cache |> Cache.incrVersionBy 0 "answer" |> run |> ignore)
          expectStartsWith e.Message "Version delta must not be 0." "rule"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "still there")

      if storesNull then
          case "incr_version moves a stored null" (fun f ->
              f.Cache |> Cache.set<string> "null" null |> run
              Expect.equal (f.Cache |> Cache.incrVersion "null" |> run) (Ok 2) "moved"
              Expect.isFalse (f.Cache |> Cache.hasKey "null" |> run) "gone from v1"
              Expect.isTrue (f.Cache |> Cache.atVersion 2 |> Cache.hasKey "null" |> run) "stored at v2"
              Expect.isNull (f.Cache |> Cache.atVersion 2 |> Cache.getOr "default" "null" |> run) "still a null")

      case "decr_version moves the value to the previous version" (fun f ->
          f.Cache |> Cache.atVersion 2 |> Cache.set "answer" 42 |> run
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "answer" |> run) (Ok 1) "new version"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer" |> run) (Some 42) "at the default version"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer" |> run) None "v2 gone"
          expectKeyNotFound "does_not_exist" (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "does_not_exist" |> run)
          if storesNull then
              f.Cache |> Cache.atVersion 2 |> Cache.set<string> "null" null |> run
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.decrVersion "null" |> run) (Ok 1) "a stored null moves"
              Expect.isTrue (f.Cache |> Cache.hasKey "null" |> run) "at v1")

      caseWith (Policy.defaults |> Policy.version 2) "decr_version on a cache with version 2 moves to 1" (fun f ->
          f.Cache |> Cache.set "answer2" 42 |> run
          Expect.equal (f.Cache |> Cache.decrVersion "answer2" |> run) (Ok 1) "new version"
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer2" |> run) None "v2 gone"
          Expect.equal (f.Cache |> Cache.atVersion 1 |> Cache.tryGet<int> "answer2" |> run) (Some 42) "v1")

      caseWith (Policy.defaults |> Policy.keyFunction (fun key prefix version -> $"CUSTOM-{prefix}-{version}-{key}")) "a custom key function makes the stored key" (fun f ->
          f.Cache |> Cache.set "answer1" 42 |> run
          Expect.equal (f.Cache |> Cache.tryGet<int> "answer1" |> run) (Some 42) "read back"
          Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<int> "answer1" |> run) None "another version"
          expectKeyProblem subject f f.Cache "a b" "CUSTOM--1-a b" (keyCharsWarning "CUSTOM--1-a b"))

      caseWith (Policy.defaults |> Policy.keyFunction (fun key _ _ -> key.ToLowerInvariant())) "keys that one custom key function maps together are one entry" (fun f ->
          f.Cache |> Cache.atVersion 1 |> Cache.set "Answer" 42 |> run
          Expect.equal (f.Cache |> Cache.atVersion 7 |> Cache.tryGet<int> "ANSWER" |> run) (Some 42) "same made key"
          Expect.isTrue (f.Cache |> Cache.atVersion 3 |> Cache.delete "answer" |> run) "deleted through the other spelling"
          Expect.isFalse (f.Cache |> Cache.hasKey "Answer" |> run) "gone") ]
