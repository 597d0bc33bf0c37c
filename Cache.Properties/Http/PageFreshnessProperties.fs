/// Laws of the page cache's freshness rule (RFC 5861, PageLifetime.At): fresh, stale-while-revalidate, stale-if-error
/// and expired partition a stored page's timeline in that order, each bound belonging to the later state, with the
/// bounds exactly at the freshness deadline plus each window; the stored page keeps its lifetime through encoding, and
/// a page stored without one (version 1) still decodes.
module Http.PageFreshnessProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache.Http

let private config = { Config.config with maxTest = 500 }

let private arb g = Arb.fromGen g

let private start = DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero)

/// Windows of 0 to a day, zeros often (a page with one window, or none).
let private genWindow = Gen.frequency [ 1, Gen.constant 0L; 3, Gen.choose (1, 86400) |> Gen.map int64 ]

let private genLifetime =
    gen {
        let! fresh = Gen.choose (1, 86400)
        let! revalidate = genWindow
        let! ifError = genWindow
        return PageLifetime.Of(start, int64 fresh, StaleWindows(revalidate, ifError))
    }

/// An instant from a little before the page was stored to well past its longest window, to the millisecond.
let private genOffset = Gen.choose (-1000, 3 * 86400 * 10) |> Gen.map (fun tenths -> TimeSpan.FromMilliseconds(float tenths * 100.0))

let private genMillis = Gen.choose (0, 86400 * 1000) |> Gen.map (fun ms -> TimeSpan.FromMilliseconds(float ms))

let private rank (state: PageFreshness) = int state

/// The state the rule must give, written as RFC 5861 reads: the windows both start at the deadline.
let private expected (lifetime: PageLifetime) (now: DateTimeOffset) =
    let stale = now - lifetime.FreshUntil
    if stale < TimeSpan.Zero then PageFreshness.Fresh
    elif stale < TimeSpan.FromSeconds(float lifetime.Windows.Revalidate) then PageFreshness.StaleWhileRevalidate
    elif stale < TimeSpan.FromSeconds(float lifetime.Windows.IfError) then PageFreshness.StaleIfError
    else PageFreshness.Expired

[<Tests>]
let tests =
    testList "Http.PageFreshnessProperties" [
        testPropertyWithConfig config "the state at any instant is the one RFC 5861's windows give" <| fun () ->
            Prop.forAll (arb (Gen.zip genLifetime genOffset)) (fun (lifetime, offset) ->
                let now = start + offset
                lifetime.At now = expected lifetime now)

        testPropertyWithConfig config "states never go back as time advances (the four partition the timeline in order)" <| fun () ->
            Prop.forAll (arb (Gen.zip3 genLifetime genOffset genMillis)) (fun (lifetime, offset, later) ->
                let now = start + offset
                rank (lifetime.At now) <= rank (lifetime.At(now + later)))

        testPropertyWithConfig config "bounds are exact: each deadline belongs to the later state, a tick before to the earlier" <| fun () ->
            Prop.forAll (arb genLifetime) (fun lifetime ->
                let tick = TimeSpan.FromTicks 1L
                let fresh, revalidate, ifError = lifetime.FreshUntil, lifetime.RevalidateUntil, lifetime.IfErrorUntil
                let w = lifetime.Windows
                lifetime.At(fresh - tick) = PageFreshness.Fresh
                && lifetime.At fresh = (if w.Revalidate > 0L then PageFreshness.StaleWhileRevalidate
                                        elif w.IfError > 0L then PageFreshness.StaleIfError
                                        else PageFreshness.Expired)
                && (w.Revalidate = 0L || lifetime.At(revalidate - tick) = PageFreshness.StaleWhileRevalidate)
                && lifetime.At revalidate = (if w.IfError > w.Revalidate then PageFreshness.StaleIfError else PageFreshness.Expired)
                && (w.IfError <= w.Revalidate || lifetime.At(ifError - tick) = PageFreshness.StaleIfError)
                && lifetime.At(fresh + TimeSpan.FromSeconds(float w.Longest)) = PageFreshness.Expired)

        testPropertyWithConfig config "the page is kept exactly until its last usable instant: fresh seconds plus the longer window" <| fun () ->
            Prop.forAll (arb genLifetime) (fun lifetime ->
                let fresh = int64 (lifetime.FreshUntil - start).TotalSeconds
                let kept = start + TimeSpan.FromSeconds(float (PageLifetime.StoreSeconds(fresh, lifetime.Windows)))
                (lifetime.Windows.Longest = 0L || lifetime.At(kept - TimeSpan.FromTicks 1L) <> PageFreshness.Expired)
                && lifetime.At kept = PageFreshness.Expired)

        testPropertyWithConfig config "ttl is the whole seconds of freshness left, negative once stale" <| fun () ->
            Prop.forAll (arb (Gen.zip genLifetime genOffset)) (fun (lifetime, offset) ->
                let now = start + offset
                let ttl = lifetime.TtlAt now
                (ttl >= 0L) = (lifetime.At now = PageFreshness.Fresh)
                && float ttl <= (lifetime.FreshUntil - now).TotalSeconds && (lifetime.FreshUntil - now).TotalSeconds < float ttl + 1.0)

        testPropertyWithConfig config "windows: the view's directives win over the defaults; must-revalidate turns both off" <| fun () ->
            Prop.forAll (arb (Gen.zip3 genWindow genWindow (Gen.elements [ ""; "must-revalidate"; "proxy-revalidate" ]))) (fun (swr, sie, extra) ->
                let defaults = StaleWindows(7L, 11L)
                let given = CacheControl.Parse(String.Join(", ", [ "max-age=60"; $"stale-while-revalidate={swr}"; $"stale-if-error={sie}"; extra ] |> List.filter ((<>) "")))
                let bare = CacheControl.Parse(String.Join(", ", [ "max-age=60"; extra ] |> List.filter ((<>) "")))
                if extra = "" then
                    StaleWindows.Of(given, defaults) = StaleWindows(swr, sie) && StaleWindows.Of(bare, defaults) = defaults
                else
                    StaleWindows.Of(given, defaults) = StaleWindows.None && StaleWindows.Of(bare, defaults) = StaleWindows.None)

        testPropertyWithConfig config "a stored page decodes to itself, its lifetime to the millisecond; one without stays version 1" <| fun () ->
            let genBody = Gen.arrayOf (Gen.choose (0, 255) |> Gen.map byte)
            Prop.forAll (arb (Gen.zip3 genBody (Gen.optionOf genLifetime) (Gen.elements [ 200; 203 ]))) (fun (body, lifetime, status) ->
                let page = CachedResponse(status, HeaderMap.Empty.Append("Content-Type", "text/plain"), body)
                let page = match lifetime with Some l -> page.WithLifetime l | None -> page
                let bytes = page.Encode()
                let back = CachedResponse.Decode(ReadOnlySpan bytes)
                let decoded = back.IfNone(Unchecked.defaultof<CachedResponse>)
                bytes[2] = (if lifetime.IsSome then 2uy else 1uy)
                && back.IsSome
                && decoded.Body = body && decoded.Status = status
                && decoded.Lifetime.IsSome = lifetime.IsSome
                && (lifetime.IsNone || decoded.Lifetime.IfNone(Unchecked.defaultof<PageLifetime>) = lifetime.Value))

        testPropertyWithConfig config "a truncated stored page of either version is a miss (None), never an exception" <| fun () ->
            Prop.forAll (arb (Gen.zip (Gen.optionOf genLifetime) (Gen.choose (0, 1000)))) (fun (lifetime, cut) ->
                let page = CachedResponse(200, HeaderMap.Empty.Append("A", "b"), [| 1uy; 2uy; 3uy |])
                let page = match lifetime with Some l -> page.WithLifetime l | None -> page
                let bytes = page.Encode()
                let cut = cut % bytes.Length
                (CachedResponse.Decode(ReadOnlySpan(bytes, 0, cut))).IsNone)
    ]
