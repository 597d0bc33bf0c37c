/// fcache against Redis, in-process: a live server (every command does its work, exit 0; stats reads INFO, DBSIZE and
/// the keys under the prefix) and a dead port (every command that needs the server exits 3 with one line naming it).
module Cli.FcacheRedisTests

open System
open Expecto
open Cli.InProcess

let private expectCode (expected: int) (r: Run) (what: string) =
    if r.Code <> expected then failtestf "%s: expected exit code %d, got %d\nstdout: %s\nstderr: %s" what expected r.Code r.Out r.Err

[<Tests>]
let tests =
    testSequenced <| testList "FcacheRedisTests" [
        testCase "against a live server set, get, incr, delete, clear and stats do their work and exit 0" <| fun () ->
            let server = Integration.Redis.start ()
            try
                let b = [ "--backend"; $"redis://{server.Location}/2" ]
                let ok (args: string list) =
                    let r = fcache (args @ b)
                    expectCode 0 r (String.Join(" ", args))
                    Expect.equal r.Err "" "nothing on stderr"
                    r.Out
                ok [ "set"; "greeting"; "héllo ✓" ] |> ignore
                Expect.equal (ok [ "get"; "greeting" ]) "héllo ✓\n" "read back"
                ok [ "set"; "n"; "41" ] |> ignore
                Expect.equal (ok [ "incr"; "n" ]) "42\n" "incremented"
                Expect.equal (Integration.Redis.cli server [ "-n"; "2"; "GET"; ":1:n" ]) "42" "an ASCII integer in database 2"
                Integration.Redis.cli server [ "-n"; "2"; "SET"; "other:app"; "x" ] |> ignore
                let stats = ok [ "stats" ]
                Expect.stringContains stats "backend: redis (FunctionalCache.Backends.Redis.RedisCache)" "the backend"
                Expect.stringContains stats $"servers: {server.Location}, database 2" "the server and database"
                Expect.stringContains stats "redis version: 7." "INFO"
                Expect.stringContains stats "keys in the database (every application's): 3" "DBSIZE"
                Expect.stringContains stats "keys under the prefix (what clear removes): 2" "the prefix's keys"
                ok [ "delete"; "greeting" ] |> ignore
                expectCode 1 (fcache ([ "get"; "greeting" ] @ b)) "deleted"
                ok [ "clear" ] |> ignore
                expectCode 1 (fcache ([ "get"; "n" ] @ b)) "cleared"
                Expect.equal (Integration.Redis.cli server [ "-n"; "2"; "GET"; "other:app" ]) "x" "clear kept another application's key"
            finally
                Integration.Redis.stop server

        testCase "against a dead port every command that needs the server exits 3 with one line naming it" <| fun () ->
            let port = freePort ()
            let uri = $"redis://127.0.0.1:{port}/?connect_timeout=0.5"
            for args in [ [ "set"; "k"; "v" ]; [ "get"; "k" ]; [ "delete"; "k" ]; [ "incr"; "k" ]; [ "clear" ]; [ "stats" ] ] do
                let what = String.Join(" ", args)
                let r = fcache (args @ [ "--backend"; uri ])
                expectCode 3 r what
                let lines = r.Err.TrimEnd('\n').Split('\n')
                Expect.equal lines.Length 1 $"{what}: one line, no warning before it: {r.Err}"
                Expect.stringStarts lines[0] $"fcache: backend failure: redis server 127.0.0.1:{port} failed" $"{what}: names the server"
                Expect.equal r.Out "" $"{what}: nothing on stdout"

        testCase "stats and errors never show the password" <| fun () ->
            let secret = "s3cret-" + Guid.NewGuid().ToString("N")
            let server = Integration.Redis.startWith (freePort ()) [ "--requirepass"; secret ]
            try
                let r = fcache [ "stats"; "--backend"; $"redis://ada:{secret}@{server.Location}/?user=ada&password={secret}&db=x" ]
                expectCode 2 r "a bad URI"
                Expect.isFalse (r.Err.Contains secret) $"the usage error: {r.Err}"
                let ok = fcache [ "stats"; "--backend"; $"redis://:{secret}@{server.Location}/" ]
                expectCode 0 ok "stats"
                Expect.stringContains ok.Out $"uri: redis://:***@{server.Location}/" "the URI, redacted"
                Expect.isFalse (ok.Out.Contains secret) $"stats: {ok.Out}"
                let wrong = fcache [ "get"; "k"; "--backend"; $"redis://:wrong-{secret}@{server.Location}/?connect_timeout=0.5" ]
                expectCode 3 wrong "a wrong password"
                Expect.isFalse (wrong.Err.Contains secret) $"the failure: {wrong.Err}"
            finally
                Integration.Redis.stop server
    ]
