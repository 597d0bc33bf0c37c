/// Laws of Cache-Control: the format/parse round trip, case-insensitive names, the merge (idempotent,
/// smallest max-age, public/private exclusion, accumulating no-cache fields) and no exception on any text.
module Http.CacheControlProperties

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FunctionalCache.Http

let private config = { Config.config with maxTest = 1000 }

let private arb g = Arb.fromGen g

let private opt (o: LanguageExt.Option<'a>) = toOption o

// ---- generators ------------------------------------------------------------------------------

let private knownNames =
    [ "public"; "private"; "no-cache"; "no-store"; "no-transform"; "must-revalidate"; "proxy-revalidate"; "max-age"; "s-maxage"
      "stale-while-revalidate"; "stale-if-error"; "immutable" ]

/// Directive names: the known ones (in any case) and extension tokens.
let private genName =
    let token =
        gen {
            let! n = Gen.choose (1, 8)
            let! cs = Gen.arrayOfLength n (Gen.elements "abcxyzABC019-!#$%&'*+.^_`|~")
            return String cs
        }
    let known =
        gen {
            let! name = Gen.elements knownNames
            let! upper = Gen.elements [ false; false; true ]
            return if upper then name.ToUpperInvariant() else name
        }
    Gen.frequency [ 3, known; 1, token ]

/// Values a caller may write: numbers in every form Python's int() reads or refuses, tokens, quoted field names,
/// inner blanks, and the empty value.
let private genValue =
    Gen.oneof
        [ Gen.choose (-100, 100_000) |> Gen.map string
          Gen.elements [ ""; "0"; "007"; "+7"; "1_000"; "1.5"; "abc"; "\"60\""; "\"Set-Cookie\""; "Set-Cookie"; "X-Foo"; "a b"; "=x"; "\"UCI\"" ] ]

let private genDirective =
    Gen.oneof
        [ genName |> Gen.map CacheDirective.Flag
          Gen.zip genName genValue |> Gen.map (fun (n, v) -> CacheDirective.WithValue(n, v)) ]

/// A directive set as a caller would build it.
let private genCacheControl =
    Gen.listOf genDirective |> Gen.map (fun ds -> CacheControl.Of(Array.ofList ds))

/// A patch as a caller would build it: typed steps in any order, setting at most one of public and private
/// (a patch that sets both keeps both, as in Django, so the exclusion law is about patches that set one).
let private genPatch =
    let step =
        Gen.oneof
            [ Gen.constant (fun (p: CacheControlPatch) -> p.NoCache())
              Gen.elements [ "Set-Cookie"; "Link"; "X-Foo"; "\"Set-Cookie\"" ] |> Gen.map (fun f (p: CacheControlPatch) -> p.NoCache f)
              Gen.constant (fun (p: CacheControlPatch) -> p.NoStore())
              Gen.constant (fun (p: CacheControlPatch) -> p.MustRevalidate())
              Gen.constant (fun (p: CacheControlPatch) -> p.NoTransform())
              Gen.constant (fun (p: CacheControlPatch) -> p.ProxyRevalidate())
              Gen.choose (-10, 100_000) |> Gen.map (fun n (p: CacheControlPatch) -> p.MaxAge(int64 n))
              Gen.choose (0, 1000) |> Gen.map (fun n (p: CacheControlPatch) -> p.SharedMaxAge(int64 n))
              Gen.choose (0, 1000) |> Gen.map (fun n (p: CacheControlPatch) -> p.StaleWhileRevalidate(TimeSpan.FromSeconds(float n)))
              Gen.zip genName genValue
              |> Gen.filter (fun (n, _) -> let l = n.ToLowerInvariant() in l <> "public" && l <> "private")
              |> Gen.map (fun (n, v) (p: CacheControlPatch) -> p.Directive(n, v)) ]
    gen {
        let! steps = Gen.listOf step
        let! visibility = Gen.elements [ None; Some(fun (p: CacheControlPatch) -> p.Public()); Some(fun (p: CacheControlPatch) -> p.Private()) ]
        let! at = Gen.choose (0, steps.Length)
        let steps = match visibility with Some v -> List.insertAt at v steps | None -> steps
        return steps |> List.fold (fun p step -> step p) CacheControlPatch.Empty
    }

/// Header texts: arbitrary strings and pieces of Cache-Control syntax glued together.
let private genHeaderText =
    let pieces =
        [ ","; ", "; " , "; "\t"; " "; "="; "\""; "max-age"; "MAX-AGE"; "=60"; "=-5"; "=1_000"; "=99999999999999999999"; "=1.5"; "=abc"
          "public"; "private"; "no-cache"; "No-Cache=Set-Cookie"; "no-store"; "_"; "+"; "-"; "\u00e9"; "\u0130"; "\x1c"; "\u0000"; "\u2028"; "\uD800"; "٣" ]
    Gen.oneof
        [ ArbMap.defaults |> ArbMap.generate<string>
          Gen.listOf (Gen.elements pieces) |> Gen.map (fun ps -> String.Join("", ps)) ]

// ---- properties ------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList "Http.CacheControlProperties" [
        testPropertyWithConfig config "Parse(Format x) = x" <| fun () ->
            Prop.forAll (arb genCacheControl) (fun x -> CacheControl.Parse(x.Format()) = x)

        testPropertyWithConfig config "directive names are case-insensitive" <| fun () ->
            Prop.forAll (arb genCacheControl) (fun x ->
                let shouted = x.Directives |> Seq.map (fun d -> CacheDirective(d.Name.ToUpperInvariant(), d.Value).Format()) |> String.concat ", "
                CacheControl.Parse shouted = x)

        testPropertyWithConfig config "patching twice with the same patch is patching once" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl genPatch)) (fun (x, p) ->
                let once = CacheHeaders.PatchCacheControl(x.Format(), p)
                CacheHeaders.PatchCacheControl(once, p) = once)

        testPropertyWithConfig config "merging max-age gives the minimum" <| fun () ->
            let existingAge = Gen.oneof [ Gen.constant None; Gen.choose (-10, 100_000) |> Gen.map Some ]
            Prop.forAll (arb (Gen.zip3 genCacheControl existingAge (Gen.choose (-10, 100_000)))) (fun (x, age, patchAge) ->
                let others = CacheControl.Of(x.Directives |> Seq.filter (fun d -> d.Name <> "max-age") |> Array.ofSeq)
                let existing =
                    match age with
                    | Some a -> others.Patch(CacheControlPatch.Empty.MaxAge(int64 a))
                    | None -> others
                let result = CacheHeaders.PatchCacheControl(existing.Format(), CacheControlPatch.Empty.MaxAge(int64 patchAge))
                let expected = match age with Some a -> min a patchAge | None -> patchAge
                opt (CacheHeaders.GetMaxAge result) = Some(int64 expected))

        testPropertyWithConfig config "a numeric max-age never grows, and a non-numeric one is replaced" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl (Gen.choose (-10, 100_000)))) (fun (x, n) ->
                let result = CacheControl.Parse(CacheHeaders.PatchCacheControl(x.Format(), CacheControlPatch.Empty.MaxAge(int64 n)))
                match opt x.MaxAge with
                | Some before -> opt result.MaxAge = Some(min before (int64 n))
                | None -> opt result.MaxAge = Some(int64 n))

        testPropertyWithConfig config "never both public and private after a patch that sets one" <| fun () ->
            let setsOne = genPatch |> Gen.filter (fun p -> p.Directives |> Seq.exists (fun d -> d.Name = "public" || d.Name = "private"))
            Prop.forAll (arb (Gen.zip3 genCacheControl genHeaderText setsOne)) (fun (x, text, p) ->
                let viaText = CacheControl.Parse(CacheHeaders.PatchCacheControl(x.Format(), p))
                let viaValue = CacheControl.Parse(text).Patch(p)
                let exclusive (cc: CacheControl) = not (cc.Public && cc.Private)
                let setPublic = p.Directives |> Seq.exists (fun d -> d.Name = "public")
                exclusive viaText && exclusive viaValue && viaText.Public = setPublic && viaText.Private = not setPublic)

        testPropertyWithConfig config "no-cache fields accumulate, and a bare no-cache absorbs them" <| fun () ->
            let fields = Gen.listOf (Gen.elements [ "Set-Cookie"; "Link"; "X-Foo"; "Vary"; "\"Link\"" ])
            let withFields (p: CacheControlPatch) fs = fs |> List.fold (fun (p: CacheControlPatch) (f: string) -> p.NoCache f) p
            Prop.forAll (arb (Gen.zip3 genCacheControl fields (Gen.zip fields (Gen.elements [ false; false; true ])))) (fun (x, before, (added, bare)) ->
                let existing = x.Patch(withFields CacheControlPatch.Empty before)
                let patch = withFields CacheControlPatch.Empty added
                let patch = if bare then patch.NoCache() else patch
                let result = CacheControl.Parse(CacheHeaders.PatchCacheControl(existing.Format(), patch))
                let isBare (cc: CacheControl) = cc.NoCache && Seq.isEmpty cc.NoCacheFields
                if bare || isBare existing then isBare result
                else
                    let unquote (f: string) = if f.Length >= 2 && f.StartsWith "\"" && f.EndsWith "\"" then f.[1 .. f.Length - 2] else f
                    let rawFields (cc: CacheControl) = cc.Directives |> Seq.filter (fun d -> d.Name = "no-cache") |> List.ofSeq
                    set result.NoCacheFields = set (Seq.append existing.NoCacheFields (Seq.map unquote added))
                    && List.length (rawFields result) = List.length (List.distinct (rawFields result)))

        testPropertyWithConfig config "directives the patch does not mention are kept" <| fun () ->
            Prop.forAll (arb (Gen.zip genCacheControl genPatch)) (fun (x, p) ->
                let touched = set [ for d in p.Directives -> d.Name ] + set [ "public"; "private"; "no-cache" ]
                let result = CacheControl.Parse(CacheHeaders.PatchCacheControl(x.Format(), p))
                x.Directives |> Seq.filter (fun d -> not (touched.Contains d.Name)) |> Seq.forall (fun d -> result.Directives |> Seq.contains d))

        testPropertyWithConfig config "GetMaxAge reads back every long" <| fun () ->
            Prop.forAll (arb (ArbMap.defaults |> ArbMap.generate<int64>)) (fun n ->
                opt (CacheHeaders.GetMaxAge $"public, max-age={n}") = Some n)

        testPropertyWithConfig config "nothing throws on arbitrary header strings" <| fun () ->
            Prop.forAll (arb (Gen.zip genHeaderText genPatch)) (fun (text, p) ->
                let parsed = CacheControl.Parse text
                parsed.Format() |> ignore
                parsed.NoCacheFields |> ignore
                let ages = [ parsed.MaxAge; parsed.SharedMaxAge; parsed.StaleWhileRevalidate; parsed.StaleIfError ]
                let patched = CacheHeaders.PatchCacheControl(text, p)
                let response = ResponseHead.Ok.WithHeader("Cache-Control", (if isNull text then "" else text))
                let now = DateTimeOffset.FromUnixTimeSeconds 1700000000L
                CacheHeaders.PatchResponseHeaders(response, now, 60) |> ignore
                CacheHeaders.AddNeverCacheHeaders(response, now) |> ignore
                opt (CacheHeaders.GetMaxAge text) = opt parsed.MaxAge && not (isNull patched) && ages.Length = 4)
    ]
