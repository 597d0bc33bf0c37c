/// The contract's culling group, for a subject bounded by `MaxEntries`: how much a cull removes, and that it never
/// removes the entry whose write made it cull.
module internal FunctionalCache.Laws.ContractCulling

open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture

/// Django's culling cases, and the entry being written surviving a cull that empties the store.
let culling (subject: Subject) =
    let caseWith = exampleWith subject
    let writeFortyNine cache =
        for i in 1..49 do cache |> Cache.setFor (Expire.seconds 1000.0) $"cull{i}" "value" |> run
        [ 1..49 ] |> List.filter (fun i -> cache |> Cache.hasKey $"cull{i}" |> run) |> List.length
    /// Empties the store, then fills it to exactly `maxEntries`, so that the next write of a new key culls.
    let fillTo maxEntries cache =
        cache |> Cache.clear |> run
        for i in 1..maxEntries do cache |> Cache.set $"filler{i}" "value" |> run
    if not subject.Capabilities.Culls then []
    else
        [ caseWith (Policy.defaults |> Policy.maxEntries 30) "a full cache culls a third: 49 writes with MaxEntries 30 leave 29" (fun f ->
              Expect.equal (writeFortyNine f.Cache) 29 "remaining")

          caseWith (Policy.defaults |> Policy.maxEntries 30 |> Policy.cullFrequency 0) "CullFrequency 0 empties a full cache: 49 writes with MaxEntries 30 leave 19" (fun f ->
              Expect.equal (writeFortyNine f.Cache) 19 "remaining")

          caseWith (Policy.defaults |> Policy.maxEntries 1) "culling never removes the entry being written (MaxEntries 1)" (fun f ->
              f.Cache |> Cache.set "first" "value" |> run
              f.Cache |> Cache.set "force_cull_delete" "value" |> run
              Expect.isTrue (f.Cache |> Cache.hasKey "force_cull_delete" |> run) "the new key"
              Expect.isFalse (f.Cache |> Cache.hasKey "first" |> run) "the old key was culled")

          // Emptying the store must not take the writer's own slot with it: locmem once dropped the table of another
          // version while the writer that culled held a slot in it, and the write went nowhere.
          caseWith (Policy.defaults |> Policy.maxEntries 3 |> Policy.cullFrequency 0) "with CullFrequency 0 a write into a full cache keeps the entry being written, at the policy's version and at another version" (fun f ->
              fillTo 3 f.Cache
              f.Cache |> Cache.set "own" "kept" |> run
              Expect.equal (f.Cache |> Cache.tryGet<string> "own" |> run) (Some "kept") "set at the policy's version"
              Expect.isFalse (f.Cache |> Cache.hasKey "filler1" |> run) "the store was emptied to make room"
              fillTo 3 f.Cache
              f.Cache |> Cache.atVersion 2 |> Cache.set "other" "kept" |> run
              Expect.equal (f.Cache |> Cache.atVersion 2 |> Cache.tryGet<string> "other" |> run) (Some "kept") "set at version 2"
              fillTo 3 f.Cache
              Expect.isTrue (f.Cache |> Cache.atVersion 3 |> Cache.add "added" "kept" |> run) "add at version 3"
              Expect.equal (f.Cache |> Cache.atVersion 3 |> Cache.tryGet<string> "added" |> run) (Some "kept") "added at version 3") ]
