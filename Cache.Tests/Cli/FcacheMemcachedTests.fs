/// fcache against memcached, in-process: a live server (every command does its work, exit 0) and a dead port
/// (every command that needs the server says it could not be done: exit 3, one line naming the server), where
/// memcached's lenient API would answer a miss or drop the write in silence.
module Cli.FcacheMemcachedTests

open System
open Expecto
open Cli.InProcess

let private expectCode (expected: int) (r: Run) (what: string) =
    if r.Code <> expected then failtestf "%s: expected exit code %d, got %d\nstdout: %s\nstderr: %s" what expected r.Code r.Out r.Err

[<Tests>]
let tests =
    testSequenced <| testList "FcacheMemcachedTests" [
        testCase "against a dead port every command that needs the server exits 3 with one line naming it" <| fun () ->
            let port = freePort ()
            let uri = $"memcached://127.0.0.1:{port}/"
            for args in [ [ "set"; "k"; "v" ]; [ "get"; "k" ]; [ "delete"; "k" ]; [ "incr"; "k" ]; [ "clear" ] ] do
                let what = String.Join(" ", args)
                let r = fcache (args @ [ "--backend"; uri ])
                expectCode 3 r what
                let lines = r.Err.TrimEnd('\n').Split('\n')
                Expect.equal lines.Length 1 $"{what}: one line, no warning before it: {r.Err}"
                Expect.stringStarts lines[0] $"fcache: backend failure: memcached server 127.0.0.1:{port} failed" $"{what}: names the server"
                Expect.equal r.Out "" $"{what}: nothing on stdout"

        testCase "against a live server set, get, incr, delete and clear do their work and exit 0" <| fun () ->
            let server = Integration.Memcached.start ()
            try
                let b = [ "--backend"; $"memcached://{server.Location}/" ]
                let ok (args: string list) =
                    let r = fcache (args @ b)
                    expectCode 0 r (String.Join(" ", args))
                    Expect.equal r.Err "" "nothing on stderr"
                    r.Out
                ok [ "set"; "greeting"; "héllo ✓" ] |> ignore
                Expect.equal (ok [ "get"; "greeting" ]) "héllo ✓\n" "read back"
                ok [ "set"; "n"; "41" ] |> ignore
                Expect.equal (ok [ "incr"; "n" ]) "42\n" "incremented"
                ok [ "delete"; "greeting" ] |> ignore
                expectCode 1 (fcache ([ "get"; "greeting" ] @ b)) "deleted"
                ok [ "clear" ] |> ignore
                expectCode 1 (fcache ([ "get"; "n" ] @ b)) "cleared"
            finally
                Integration.Memcached.stop server
    ]
