/// A real Varnish in front of an origin, for the upstream-cache tests: Debian's varnishd in the
/// foreground (`-F`) on a free loopback port, its working directory, VCL and cache (malloc) in a
/// temp directory of its own, no management port, stopped by its PID. A missing binary fails loudly.
module Integration.Varnish

open System
open System.Collections.Concurrent
open System.Diagnostics
open System.IO
open System.Net.Http

/// What to do when varnishd is missing.
let installHint = "varnishd is not installed (no `varnishd` on PATH or in /usr/sbin). Install it: apt-get install -y varnish"

/// The varnishd binary: on PATH, else Debian's /usr/sbin.
let binary () = findExecutable "varnishd" installHint

/// A running varnishd.
type Proxy =
    { Port: int
      Directory: string
      Process: Process
      Output: ConcurrentQueue<string> }
    /// `http://127.0.0.1:port`.
    member p.Url = $"http://127.0.0.1:{p.Port}"

/// The VCL. Varnish's built-in rules run after ours wherever ours do not return, so what it adds
/// to them is only this:
/// - requests with a Cookie are looked up, not passed: the origin marks the pages that depend on
///   the cookie with `Vary: Cookie`, and Varnish keeps one variant per cookie value;
/// - objects are kept an hour past their TTL, so an expired or soft-purged page is revalidated with
///   If-None-Match / If-Modified-Since and a 304 refreshes it (`X-Varnish-Revalidated: true`);
/// - `PURGE` from the loopback soft-purges a URL (TTL to 0, the object kept for revalidation);
/// - every response says how often its object was hit (`X-Varnish-Hits`, 0 on a miss or a pass).
let vcl (originPort: int) =
    $$"""vcl 4.1;
import purge;

backend origin {
    .host = "127.0.0.1";
    .port = "{{originPort}}";
}

acl loopback {
    "127.0.0.1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ loopback) {
            return (synth(405));
        }
        return (hash);
    }
    call vcl_req_host;
    call vcl_req_method;
    call vcl_req_authorization;
    return (hash);
}

sub vcl_hit {
    if (req.method == "PURGE") {
        purge.soft(0s, 0s);
        return (synth(200, "Soft-purged"));
    }
}

sub vcl_miss {
    if (req.method == "PURGE") {
        purge.soft(0s, 0s);
        return (synth(200, "Soft-purged"));
    }
}

sub vcl_backend_response {
    set beresp.keep = 1h;
    set beresp.http.X-Varnish-Revalidated = beresp.was_304;
}

sub vcl_deliver {
    set resp.http.X-Varnish-Hits = obj.hits;
}
"""

/// Starts varnishd on a free port in front of `originPort`, in a fresh temp directory, with the VCL
/// `vclFor originPort`, and waits until a request through it to `readyPath` answers (at most 10 s).
let startWith (vclFor: int -> string) (originPort: int) (readyPath: string) : Proxy =
    let varnishd = binary ()
    let dir = Directory.CreateTempSubdirectory("fcache-varnish-").FullName
    let port = freePort ()
    let vclFile = Path.Combine(dir, "origin.vcl")
    File.WriteAllText(vclFile, vclFor originPort)
    // -j none: no privilege separation, so root (a CI container) need not hand this private
    // directory to the `varnish` user. One small thread pool: the default two pools of 100 threads
    // take over a second to start, and a test needs a handful.
    let args =
        [ "-F"; "-j"; "none"; "-n"; Path.Combine(dir, "work"); "-a"; $"127.0.0.1:{port}"; "-T"; "none"
          "-f"; vclFile; "-s"; "malloc,32m"
          "-p"; "thread_pools=1"; "-p"; "thread_pool_min=5"; "-p"; "thread_pool_max=50" ]
    let output = ConcurrentQueue<string>()
    let proxy = { Port = port; Directory = dir; Process = ServerProcess.start varnishd args None output.Enqueue; Output = output }
    use probe = new HttpClient(Timeout = TimeSpan.FromSeconds 2.0)
    let ready () = try probe.GetAsync(proxy.Url + readyPath) |> run |> _.IsSuccessStatusCode with _ -> false
    ServerProcess.awaitReady $"varnishd on port {port} (serving {readyPath})" proxy.Process ready (fun () -> String.Join("\n", output))
    proxy

/// Starts varnishd with the standard VCL in front of `originPort`.
let start (originPort: int) (readyPath: string) = startWith vcl originPort readyPath

/// Stops varnishd (the manager and its cache process) by its PID and removes its directory.
let stop (proxy: Proxy) =
    ServerProcess.stop proxy.Process
    try Directory.Delete(proxy.Directory, true) with _ -> ()
