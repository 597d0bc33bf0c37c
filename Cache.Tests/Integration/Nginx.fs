/// A real nginx `proxy_cache` in front of an origin, for the upstream-cache tests: Debian's nginx run
/// in the foreground on a free loopback port, with its own configuration, cache, temp, pid and log
/// files in a temp directory of its own (`-p`, `-c`, `-e`, `-g`: nothing of the system's
/// configuration, nothing under /var), and stopped by its PID. A missing binary fails loudly.
module Integration.Nginx

open System
open System.Diagnostics
open System.IO

/// What to do when nginx is missing.
let installHint = "nginx is not installed (no `nginx` on PATH or in /usr/sbin). Install it: apt-get install -y nginx"

/// The nginx binary: on PATH, else Debian's /usr/sbin (not on a non-root user's PATH).
let binary () = findExecutable "nginx" installHint

/// A running nginx.
type Proxy =
    { Port: int
      Directory: string
      Process: Process }
    /// `http://127.0.0.1:port`.
    member p.Url = $"http://127.0.0.1:{p.Port}"
    /// nginx's error log, for failure messages.
    member p.ErrorLog = try File.ReadAllText(Path.Combine(p.Directory, "error.log")) with _ -> "(no error log)"

/// The configuration: nginx's defaults for proxy_cache (it honours Cache-Control, Expires, Vary and
/// Set-Cookie, and caches requests that carry cookies), revalidation of expired entries with
/// conditional requests, and the cache status of each response in `X-Upstream-Cache`.
let configuration (dir: string) (port: int) (originPort: int) =
    // Run as root (a CI container), the workers would drop to `nobody` and could not enter this
    // private directory; they keep the user that started them instead.
    let user = if Environment.UserName = "root" then "user root;" else ""
    $"""{user}
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy_temp;
    fastcgi_temp_path {dir}/fastcgi_temp;
    uwsgi_temp_path {dir}/uwsgi_temp;
    scgi_temp_path {dir}/scgi_temp;
    proxy_cache_path {dir}/cache levels=1:2 keys_zone=demo:1m max_size=16m inactive=10m use_temp_path=off;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{originPort};
            proxy_http_version 1.1;
            proxy_cache demo;
            proxy_cache_revalidate on;
            add_header X-Upstream-Cache $upstream_cache_status always;
        }}
    }}
}}
"""

/// Starts nginx on a free port in front of `originPort`, in a fresh temp directory, with `config`
/// (a function of directory, port and origin port), and waits until it accepts connections.
let startWith (config: string -> int -> int -> string) (originPort: int) : Proxy =
    let nginx = binary ()
    let dir = Directory.CreateTempSubdirectory("fcache-nginx-").FullName
    let port = freePort ()
    let conf = Path.Combine(dir, "nginx.conf")
    File.WriteAllText(conf, config dir port originPort)
    // -e: the startup error log too, which otherwise is Debian's /var/log/nginx/error.log.
    let args =
        [ "-p"; dir + "/"; "-c"; conf; "-e"; Path.Combine(dir, "error.log")
          "-g"; $"daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log;" ]
    let proxy = { Port = port; Directory = dir; Process = ServerProcess.start nginx args None ignore }
    ServerProcess.awaitAccepting $"nginx on port {port}" proxy.Process port (fun () -> proxy.ErrorLog)
    proxy

/// Starts nginx with the standard configuration in front of `originPort`.
let start (originPort: int) = startWith configuration originPort

/// Stops nginx (the master and its worker) by its PID and removes its directory.
let stop (proxy: Proxy) =
    ServerProcess.stop proxy.Process
    try Directory.Delete(proxy.Directory, true) with _ -> ()
