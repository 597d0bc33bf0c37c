/// The contract's timeout group: Django's expiry cases on the context's fake clock, and, for a subject whose server
/// keeps its own clock, their twins on the real clock (a few seconds of waiting in all).
module internal FunctionalCache.Laws.ContractTimeouts

open System
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture

/// Django's cases that move the clock: deadlines, touch, timeouts past 30 days, Never, fractions.
let private onTheContextClock (subject: Subject) =
    let case = example subject
    [ case "entries expire at their deadline: visible just before, gone from it on" (fun f ->
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire2" "very quickly" |> run
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire3" "very quickly" |> run
          f.Clock.Advance(TimeSpan.FromSeconds 1.0 - TimeSpan.FromTicks 1L)
          Expect.equal (f.Cache |> Cache.tryGet<string> "expire1" |> run) (Some "very quickly") "one tick before the deadline"
          f.Clock.Advance(TimeSpan.FromTicks 1L)
          Expect.equal (f.Cache |> Cache.tryGet<string> "expire1" |> run) None "at the deadline"
          advance f.Clock 1.0
          Expect.isTrue (f.Cache |> Cache.add "expire2" "newvalue" |> run) "add over an expired entry"
          Expect.equal (f.Cache |> Cache.tryGet<string> "expire2" |> run) (Some "newvalue") "the new value"
          Expect.isFalse (f.Cache |> Cache.hasKey "expire3" |> run) "expired")

      case "touch gives a live entry a new timeout, the default when none is given" (fun f ->
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
          Expect.isTrue (f.Cache |> Cache.touch (Expire.seconds 4.0) "expire1" |> run) "touched"
          advance f.Clock 2.0
          Expect.isTrue (f.Cache |> Cache.hasKey "expire1" |> run) "still there after 2 s"
          advance f.Clock 3.0
          Expect.isFalse (f.Cache |> Cache.hasKey "expire1" |> run) "gone after 5 s"
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
          Expect.isTrue (f.Cache |> Cache.touch Expire.byDefault "expire1" |> run) "touched with the default"
          advance f.Clock 2.0
          Expect.isTrue (f.Cache |> Cache.hasKey "expire1" |> run) "the default timeout (300 s) applies"
          Expect.isFalse (f.Cache |> Cache.touch Expire.byDefault "nonexistent" |> run) "a missing key is not touched")

      case "a timeout over 30 days works for set, add and set_many" (fun f ->
          let long = Expire.seconds 2592001.0
          f.Cache |> Cache.setFor long "key1" "eggs" |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "eggs") "set"
          Expect.isTrue (f.Cache |> Cache.addFor long "key2" "ham" |> run) "add"
          Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) (Some "ham") "add"
          f.Cache |> Cache.setManyFor long [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
          Expect.equal (f.Cache |> Cache.tryGet<string> "key3" |> run) (Some "sausage") "set_many"
          advance f.Clock 2592000.0
          Expect.equal (f.Cache |> Cache.tryGet<string> "key4" |> run) (Some "lobster bisque") "30 days later"
          advance f.Clock 1.0
          Expect.equal (f.Cache |> Cache.tryGet<string> "key4" |> run) None "30 days and 1 s later")

      case "Never keeps entries forever, and touch with Never makes an entry permanent" (fun f ->
          f.Cache |> Cache.setFor Expire.never "key1" "eggs" |> run
          Expect.isTrue (f.Cache |> Cache.addFor Expire.never "key2" "ham" |> run) "add"
          Expect.isFalse (f.Cache |> Cache.addFor Expire.never "key1" "new eggs" |> run) "add over a live key"
          f.Cache |> Cache.setManyFor Expire.never [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
          f.Cache |> Cache.setFor (Expire.seconds 1.0) "key5" "belgian fries" |> run
          Expect.isTrue (f.Cache |> Cache.touch Expire.never "key5" |> run) "touch to Never"
          f.Clock.Advance(TimeSpan.FromDays 36500.0)
          for key, value in [ "key1", "eggs"; "key2", "ham"; "key3", "sausage"; "key4", "lobster bisque"; "key5", "belgian fries" ] do
              Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) $"{key} after a century")

      case "a fractional timeout keeps its fraction" (fun f ->
          f.Cache |> Cache.setFor (Expire.seconds 100.2) "key1" "spam" |> run
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "set"
          advance f.Clock 100.1
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) (Some "spam") "at 100.1 s"
          advance f.Clock 0.1
          Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "at 100.2 s") ]

/// The twins of `onTheContextClock` for a server with its own clock: what each case checks that waiting can show, in
/// one wait for every short timeout, written against `ICache` only.
let private onTheServerClock (subject: Subject) =
    let case = example subject
    let short = ServerClock.short
    [ case "on the server's clock: set, add, set_many, touch and a fractional timeout lapse; Never, touch with Never and the default timeout keep the entry" (fun f ->
          let c = f.Cache
          c |> Cache.setFor short "set" "spam" |> run
          Expect.isTrue (c |> Cache.addFor short "add" "ham" |> run) "add"
          Expect.isEmpty (c |> Cache.setManyFor short [ "many1", "eggs"; "many2", "bacon" ] |> run) "set_many stores every pair"
          // memcached takes whole seconds, and 0 means never: a fraction must be rounded up, not down to 0.
          c |> Cache.setFor (Expire.seconds 0.2) "fraction" "chips" |> run
          c |> Cache.setFor Expire.never "shortened" "beans" |> run
          Expect.isTrue (c |> Cache.touch short "shortened" |> run) "touch to 2 s"
          c |> Cache.setFor short "lengthened" "toast" |> run
          Expect.isTrue (c |> Cache.touch Expire.never "lengthened" |> run) "touch to Never"
          c |> Cache.setFor short "default" "tea" |> run
          Expect.isTrue (c |> Cache.touch Expire.byDefault "default" |> run) "touch with the default (300 s)"
          Expect.isFalse (c |> Cache.touch Expire.byDefault "nonexistent" |> run) "a missing key is not touched"
          c |> Cache.setFor Expire.never "never" "jam" |> run
          Expect.isTrue (c |> Cache.addFor Expire.never "never-add" "jam" |> run) "add with Never"
          Expect.isFalse (c |> Cache.addFor Expire.never "never" "marmalade" |> run) "add over a live key"
          Expect.isEmpty (c |> Cache.setManyFor Expire.never [ "never-many", "jam" ] |> run) "set_many with Never"
          let lapsing = [ "set", "spam"; "add", "ham"; "many1", "eggs"; "many2", "bacon"; "shortened", "beans" ]
          let staying = [ "lengthened", "toast"; "default", "tea"; "never", "jam"; "never-add", "jam"; "never-many", "jam" ]
          for key, value in lapsing @ staying do
              Expect.equal (c |> Cache.tryGet<string> key |> run) (Some value) $"{key} is there at first"
          ServerClock.waitPastShort ()
          for key, _ in ("fraction", "chips") :: lapsing do
              Expect.equal (c |> Cache.tryGet<string> key |> run) None $"{key} lapsed"
          for key, value in staying do
              Expect.equal (c |> Cache.tryGet<string> key |> run) (Some value) $"{key} is still there"
          Expect.isTrue (c |> Cache.add "set" "newvalue" |> run) "add over a lapsed entry"
          Expect.equal (c |> Cache.tryGet<string> "set" |> run) (Some "newvalue") "the new value")

      // memcached reads an exptime past 30 days as a Unix time: sent as a span, it would lie in 1970 and the entry
      // would be gone at once.
      case "on the server's clock: a timeout over 30 days works for set, add and set_many" (fun f ->
          let long = Expire.seconds 2592001.0
          f.Cache |> Cache.setFor long "key1" "eggs" |> run
          Expect.isTrue (f.Cache |> Cache.addFor long "key2" "ham" |> run) "add"
          Expect.isEmpty (f.Cache |> Cache.setManyFor long [ "key3", "sausage"; "key4", "lobster bisque" ] |> run) "set_many"
          for key, value in [ "key1", "eggs"; "key2", "ham"; "key3", "sausage"; "key4", "lobster bisque" ] do
              Expect.equal (f.Cache |> Cache.tryGet<string> key |> run) (Some value) key) ]

/// Django's timeout cases: on the context's clock, or their twins on a server's own clock; the zero-timeout cases
/// move no clock and apply to both.
let timeouts (subject: Subject) =
    let case = example subject
    let clockCases =
        match subject.Capabilities.Clock with
        | FollowsContextClock -> onTheContextClock subject
        | OwnClock -> onTheServerClock subject
    clockCases
    @ [ case "a zero timeout stores nothing and touch with zero expires the entry" (fun f ->
            f.Cache |> Cache.setFor (Expire.seconds 0.0) "key1" "eggs" |> run
            Expect.equal (f.Cache |> Cache.tryGet<string> "key1" |> run) None "set"
            Expect.isTrue (f.Cache |> Cache.addFor (Expire.seconds 0.0) "key2" "ham" |> run) "add reports success"
            Expect.equal (f.Cache |> Cache.tryGet<string> "key2" |> run) None "but stores nothing"
            f.Cache |> Cache.setManyFor (Expire.seconds 0.0) [ "key3", "sausage"; "key4", "lobster bisque" ] |> run |> ignore
            Expect.equal (f.Cache |> Cache.tryGet<string> "key3" |> run) None "set_many"
            f.Cache |> Cache.setFor (Expire.seconds 5.0) "key5" "belgian fries" |> run
            Expect.isTrue (f.Cache |> Cache.touch (Expire.seconds 0.0) "key5" |> run) "touch reports success"
            Expect.equal (f.Cache |> Cache.tryGet<string> "key5" |> run) None "and expires it")

        case "a zero timeout on set removes a live entry" (fun f ->
            f.Cache |> Cache.set "key1" "eggs" |> run
            f.Cache |> Cache.setFor (Expire.seconds 0.0) "key1" "spam" |> run
            Expect.isFalse (f.Cache |> Cache.hasKey "key1" |> run) "removed") ]
