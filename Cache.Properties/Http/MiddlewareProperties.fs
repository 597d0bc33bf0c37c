/// Laws of the page cache: on a real Kestrel (a shrinking, replayable property), a stored page is served to a later
/// request only if every Vary-listed header matches (and then it is); and the pure update decision never stores what
/// DESIGN.md's never-store list forbids, and caps what it stores.
module Http.MiddlewareProperties

open System
open System.Threading
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open FunctionalCache.Http
open FunctionalCache.FSharp
open FunctionalCache.FSharp.AspNetCore
open Http.AspNetCore.TestServer

let private names = [ "X-A"; "X-B"; "X-C" ]

/// What a request sends for each name: absent, empty, or one of two values (so matches are common).
let private genSent = Gen.collectToList (fun _ -> Gen.elements [ None; Some ""; Some "1"; Some "2" ]) names

let private genVary = Gen.subListOf names

type private Case = { Names: string list; First: string option list; Second: string option list }

/// A Vary list and two requests; each header of the second copies the first's half the time, so hits are common.
let private genCase =
    gen {
        let! vary = genVary
        let! first = genSent
        let! second = first |> Gen.collectToList (fun v -> Gen.frequency [ 1, Gen.constant v; 1, Gen.elements [ None; Some ""; Some "1"; Some "2" ] ])
        return { Names = vary; First = first; Second = second }
    }

/// Smaller cases: fewer Vary names, fewer headers sent, and second values made equal to the first's.
let private shrinkCase (c: Case) =
    seq {
        for i in 0 .. c.Names.Length - 1 -> { c with Names = List.removeAt i c.Names }
        for k in 0 .. names.Length - 1 do
            if c.First[k].IsSome then yield { c with First = List.updateAt k None c.First }
            if c.Second[k].IsSome then yield { c with Second = List.updateAt k None c.Second }
            if c.Second[k] <> c.First[k] then yield { c with Second = List.updateAt k c.First[k] c.Second }
    }

let private headersOf (sent: string option list) =
    List.zip names sent |> List.choose (fun (n, v) -> v |> Option.map (fun v -> n, v))

// ---- the never-store list, on the pure decision ------------------------------------------------

type private Head = { Method: string; Status: int; CacheControl: string option; Vary: string option; SetsCookie: bool; Authorization: bool; PageTimeout: int64 option }

let private genHead =
    gen {
        let! methodName = Gen.elements [ "GET"; "HEAD"; "get"; "POST"; "PUT" ]
        let! status = Gen.elements [ 200; 200; 200; 304; 404; 500; 301 ]
        let! directives =
            Gen.subListOf [ "public"; "private"; "Private"; "no-store"; "NO-STORE"; "no-cache"; "no-cache=Set-Cookie"; "max-age=60"; "max-age=0"; "max-age=abc"; "s-maxage=5"; "x-private-ext"; "must-revalidate" ]
        let! cc = Gen.elements [ None; Some (String.Join(", ", directives)) ]
        let! vary = Gen.elements [ None; Some "Cookie"; Some "*"; Some "Accept-Encoding, *"; Some " * "; Some "Accept-Encoding" ]
        let! cookie = Gen.elements [ false; false; true ]
        let! auth = Gen.elements [ false; false; true ]
        let! page = Gen.elements [ None; Some 0L; Some 5L; Some -3L ]
        return { Method = methodName; Status = status; CacheControl = cc; Vary = vary; SetsCookie = cookie; Authorization = auth; PageTimeout = page }
    }

let private decide (h: Head) =
    let request =
        RequestHead.ofUrl h.Method "http://testserver/" |> RequestHead.withHeaders [ if h.Authorization then "Authorization", "Basic eA==" ]
    let response =
        ResponseHead.ofList h.Status
            [ match h.CacheControl with Some v -> "Cache-Control", v | None -> ()
              match h.Vary with Some v -> "Vary", v | None -> ()
              if h.SetsCookie then "Set-Cookie", "s=1" ]
    response |> PageCache.decideUpdate (DateTimeOffset.FromUnixTimeSeconds 1700000000L) 600L h.PageTimeout false request

let private forbidden (h: Head) =
    let cc = (defaultArg h.CacheControl "").Split(',') |> Array.map (fun d -> d.Trim().Split('=').[0].ToLowerInvariant())
    not (PageCache.isCacheableMethod h.Method)
    || h.Status <> 200
    || h.SetsCookie
    || cc |> Array.exists (fun d -> d = "private" || d = "no-cache" || d = "no-store")
    || h.Vary |> Option.exists (fun v -> v.Split(',') |> Array.exists (fun e -> e.Trim() = "*"))
    || (h.Authorization && not (cc |> Array.contains "public"))

[<Tests>]
let tests =
    testList "Http.MiddlewareProperties" [
        testPropertyWithConfig { Config.config with maxTest = 1000 } "the update decision never stores what the never-store list forbids" <|
            Prop.forAll (Arb.fromGen genHead) (fun h -> not (forbidden h && (decide h).IsStore))

        testPropertyWithConfig { Config.config with maxTest = 1000 } "a stored response carries Expires and a max-age no larger than the time it is stored for" <|
            Prop.forAll (Arb.fromGen genHead) (fun h ->
                match decide h with
                | Store(response, seconds) ->
                    seconds > 0L && ResponseHead.hasHeader "Expires" response && CacheControl.maxAge response |> Option.exists (fun a -> a <= seconds)
                | Skip _ -> true)

        testSequenced <| testPropertyWithConfig { Config.config with maxTest = 100 } "on Kestrel, a page is served from the cache exactly when every Vary-listed header matches" (
            // A fresh server and cache per case, so a shrunk case or a replayed seed runs alone.
            Prop.forAll (Arb.fromGenShrink (genCase, shrinkCase)) (fun (c: Case) ->
                let calls = ref 0
                let view = handler (fun ctx ->
                    ctx.Response.Headers.Vary <- string ctx.Request.Query["vary"]
                    write ctx (sprintf "render %d" (Interlocked.Increment(&calls.contents))))
                use server = start (fun app -> app |> App.useCache id |> ignore; mapGet app "/p" view |> ignore)
                let path = sprintf "/p?vary=%s" (Uri.EscapeDataString(String.Join(", ", c.Names)))
                let first = server.Get(path, ("Host", "t") :: headersOf c.First)
                let second = server.Get(path, ("Host", "t") :: headersOf c.Second)
                let matches = c.Names |> List.forall (fun n -> let k = List.findIndex ((=) n) names in c.First[k] = c.Second[k])
                let served = second.XCache = "HIT"
                (first.XCache = "MISS" && served = matches && (not served || second.Text = first.Text))
                |> Prop.label (sprintf "first %s %A, second %s %A, Vary-listed headers match: %b" first.XCache first.Text second.XCache second.Text matches)
                |> Prop.classify served "served from the cache"))
    ]
