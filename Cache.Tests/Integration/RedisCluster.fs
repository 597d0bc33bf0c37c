/// A real Redis Cluster for the cluster tests: three primaries (no replicas) on free loopback ports, each a redis-server
/// child process (Integration.Redis) with `--cluster-enabled yes`, joined by `redis-cli --cluster create`, and stopped
/// by PID. A node can be killed (SIGKILL) and restarted on its port with its own cluster config file: it rejoins as the
/// owner of the same slots (empty: nothing is persisted).
module Integration.RedisCluster

open System
open System.IO
open System.Threading

/// How long a node may be unreachable before the others mark it failed. 2 s rather than Redis's 15 s: the fault test
/// waits through it, and on one loopback a live node always answers a ping well within it.
let nodeTimeoutMs = 2000

/// The redis-server arguments of a cluster node whose cluster state lives in `configFile` and whose cluster bus listens
/// on `busPort` (given explicitly: the default, port + 10000, may be taken or past 65535 for a free port).
/// `cluster-require-full-coverage no` lets the nodes that are up keep serving their slots while one node is down;
/// Redis's default (`yes`) makes every node refuse every command once a node has been failed for the node timeout.
let private nodeArguments (configFile: string) (busPort: int) =
    [ "--cluster-enabled"; "yes"
      "--cluster-config-file"; configFile
      "--cluster-port"; string busPort
      "--cluster-node-timeout"; string nodeTimeoutMs
      "--cluster-require-full-coverage"; "no" ]

/// One primary of the cluster: the process running now (replaced by a restart), its cluster config file and bus port.
type Node =
    { mutable Server: Redis.Server
      ConfigFile: string
      BusPort: int }
    member n.Port = n.Server.Port
    member n.Location = n.Server.Location

/// Runs redis-cli against `port` with `args`, feeding it `input` (commands, one a line) when given; its output, trimmed.
let cliWith (port: int) (args: string list) (input: string option) : string = Redis.cliOn port args input

/// Runs redis-cli against one node; its output, trimmed.
let cli (node: Node) (args: string list) = cliWith node.Port args None

/// A running three-primary cluster.
type Cluster =
    { Nodes: Node list
      /// The directory holding the nodes' cluster config files.
      Directory: string }
    /// `127.0.0.1:p1;127.0.0.1:p2;127.0.0.1:p3`: every node as a seed.
    member c.Seeds = c.Nodes |> List.map (fun n -> n.Location) |> String.concat ";"
    /// `redis://seeds/?cluster=true`.
    member c.Uri = $"redis://{c.Seeds}/?cluster=true"

let private waitFor (seconds: float) (what: string) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow.AddSeconds seconds
    while not (condition ()) && DateTime.UtcNow < deadline do Thread.Sleep 50
    if not (condition ()) then failwithf "%s did not happen within %.0f s" what seconds

/// True when `node` says `cluster_state:ok`.
let isOk (node: Node) =
    try (cli node [ "CLUSTER"; "INFO" ]).Contains "cluster_state:ok" with _ -> false

/// Starts three nodes, joins them with `redis-cli --cluster create` (slots split in three) and waits until every node
/// reports `cluster_state:ok`.
let start () : Cluster =
    let dir = Directory.CreateTempSubdirectory("fcache-redis-cluster-").FullName
    let nodes =
        [ for i in 1..3 ->
              let config = Path.Combine(dir, $"nodes-{i}.conf")
              let bus = freePort ()
              { Server = Redis.startWith (freePort ()) (nodeArguments config bus); ConfigFile = config; BusPort = bus } ]
    let cluster = { Nodes = nodes; Directory = dir }
    try
        cliWith nodes.Head.Port ([ "--cluster"; "create" ] @ [ for n in nodes -> n.Location ] @ [ "--cluster-yes" ]) None |> ignore
        waitFor 30.0 "cluster_state:ok on every node" (fun () -> List.forall isOk nodes)
        cluster
    with _ ->
        for n in nodes do Redis.stop n.Server
        reraise ()

/// Kills the node's process (SIGKILL, by PID) and waits for it to go.
let kill (node: Node) = Redis.stop node.Server

/// Starts the node again on its port with its cluster config file: it rejoins owning the same slots, with no keys.
let restart (node: Node) =
    node.Server <- Redis.startWith node.Port (nodeArguments node.ConfigFile node.BusPort)

/// Stops every node by PID and removes the cluster's directory.
let stop (cluster: Cluster) =
    for n in cluster.Nodes do Redis.stop n.Server
    try Directory.Delete(cluster.Directory, true) with _ -> ()

/// Which node serves each key: `CLUSTER KEYSLOT` of every key (one redis-cli run) against the slot ranges of
/// `CLUSTER NODES`.
let ownersOf (cluster: Cluster) (redisKeys: string list) : Map<string, Node> =
    let first = cluster.Nodes.Head
    let ranges =
        [ for line in (cli first [ "CLUSTER"; "NODES" ]).Split('\n', StringSplitOptions.RemoveEmptyEntries) do
              let fields = line.Trim().Split(' ')
              // <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>
              let address = fields[1].Split('@')[0]
              let port = int (address.Substring(address.LastIndexOf ':' + 1))
              let node = cluster.Nodes |> List.find (fun n -> n.Port = port)
              for range in fields[8..] do
                  match range.Split('-') with
                  | [| low; high |] -> yield int low, int high, node
                  | [| single |] -> yield int single, int single, node
                  | _ -> failwithf "unexpected slot range '%s' in CLUSTER NODES" range ]
    // Keys here are plain text without spaces or quotes: one command a line.
    let input = redisKeys |> List.map (fun k -> $"CLUSTER KEYSLOT {k}\n") |> String.concat ""
    let slots = (cliWith first.Port [] (Some input)).Split('\n') |> Array.map (fun s -> int (s.Trim()))
    if slots.Length <> redisKeys.Length then failwithf "CLUSTER KEYSLOT answered %d slots for %d keys" slots.Length redisKeys.Length
    List.zip redisKeys (List.ofArray slots)
    |> List.map (fun (key, slot) ->
        match ranges |> List.tryFind (fun (low, high, _) -> slot >= low && slot <= high) with
        | Some(_, _, node) -> key, node
        | None -> failwithf "no node owns slot %d" slot)
    |> Map.ofList

/// The cluster this test process shares, started on first use and stopped at exit.
let shared : Lazy<Cluster> =
    lazy
        (let cluster = start ()
         AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> stop cluster)
         cluster)
