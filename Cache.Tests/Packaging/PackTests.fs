/// The packed-package tests: every packable project of the repository (already built in this configuration) is packed
/// into a temporary folder feed with a version of its own, each package's contents are checked, and scratch console
/// projects restore packages from that feed (nuget.org for their dependencies), build and run: an F# one that names
/// only FunctionalCache.FSharp and FunctionalCache.Backends (the locmem-only F# user), an F# one that names only
/// FunctionalCache.Laws.Expecto and checks locmem with the laws (a backend author), and a C# one that names every
/// library package. The installed size of each package is printed from the C# project's restored graph.
module Packaging.PackTests

open System
open System.IO
open System.IO.Compression
open System.Text.Json
open System.Text.RegularExpressions
open Expecto

/// The packages in the feed, their version, and the paths the tests leave behind.
type private Feed =
    { Root: string
      Folder: string
      Temp: string
      Version: string
      Packages: Dotnet.PackableProject list }

let private globalPackages () =
    match Environment.GetEnvironmentVariable "NUGET_PACKAGES" with
    | null | "" -> Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".nuget", "packages")
    | path -> path

let private cleanUp (feed: Feed) =
    for package in feed.Packages do
        let cached = Path.Combine(globalPackages (), package.PackageId.ToLowerInvariant(), feed.Version)
        try
            if Directory.Exists cached then Directory.Delete(cached, true)
            let parent = Path.GetDirectoryName cached
            if Directory.Exists parent && Array.isEmpty (Directory.GetFileSystemEntries parent) then Directory.Delete parent
        with _ -> ()
    try Directory.Delete(feed.Temp, true) with _ -> ()

/// Packs every packable project in one MSBuild run (a traversal project calling Pack on each, without building).
let private pack =
    lazy (
        let root = Dotnet.repoRoot ()
        let config = Dotnet.configuration ()
        let packages = Dotnet.packableProjects root
        Dotnet.ensureBuilt root config packages
        // A version no earlier run used, so the global package cache never serves a stale copy; removed at exit.
        let version = sprintf "0.0.0-smoke%s" (DateTime.UtcNow.ToString "yyyyMMddHHmmssfff")
        let temp = (Directory.CreateTempSubdirectory "fc-pack-").FullName
        let feed = { Root = root; Folder = Path.Combine(temp, "feed"); Temp = temp; Version = version; Packages = packages }
        AppDomain.CurrentDomain.ProcessExit.Add(fun _ -> cleanUp feed)
        let items = packages |> List.map (fun p -> sprintf "    <PackProject Include=\"%s\" />" (Path.Combine(root, p.Project))) |> String.concat "\n"
        File.WriteAllText(Path.Combine(temp, "pack.proj"), sprintf """<Project>
  <ItemGroup>
%s
  </ItemGroup>
  <Target Name="Pack">
    <MSBuild Projects="@(PackProject)" Targets="Pack" BuildInParallel="true"
             Properties="Configuration=%s;NoBuild=true;_IsPacking=true;Version=%s;PackageOutputPath=%s/" />
  </Target>
</Project>""" items config version feed.Folder)
        Dotnet.run temp "msbuild pack.proj -t:Pack -m -nologo -v:m" |> ignore
        feed)

let private nupkg (feed: Feed) (id: string) = Path.Combine(feed.Folder, sprintf "%s.%s.nupkg" id feed.Version)

let private entries (path: string) =
    use zip = ZipFile.OpenRead path
    zip.Entries |> Seq.map (fun e -> e.FullName) |> Set.ofSeq

let private entryText (path: string) (name: string -> bool) =
    use zip = ZipFile.OpenRead path
    let entry = zip.Entries |> Seq.find (fun e -> name e.FullName)
    use reader = new StreamReader(entry.Open())
    reader.ReadToEnd()

let private nuspec path = entryText path (fun n -> n.EndsWith ".nuspec")

let private nugetConfig (feed: string) =
    sprintf """<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="%s" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="FunctionalCache.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>""" feed

let private scratchProject (extension: string) (compile: string) (ids: string list) version =
    let references = ids |> List.map (fun id -> sprintf "    <PackageReference Include=\"%s\" Version=\"%s\" />" id version) |> String.concat "\n"
    let language = if extension = "fsproj" then "" else "\n    <Nullable>enable</Nullable>\n    <ImplicitUsings>enable</ImplicitUsings>"
    sprintf """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>%s
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>%s
  </ItemGroup>
  <ItemGroup>
%s
  </ItemGroup>
</Project>""" language compile references

/// Writes a scratch console into the feed's temp folder and runs it: its output, and its restored package graph.
let private runScratch (feed: Feed) (name: string) (extension: string) (program: string) (ids: string list) =
    let dir = Path.Combine(feed.Temp, name)
    Directory.CreateDirectory dir |> ignore
    let source, compile = if extension = "fsproj" then "Program.fs", "\n    <Compile Include=\"Program.fs\" />" else "Program.cs", ""
    File.WriteAllText(Path.Combine(dir, "NuGet.config"), nugetConfig feed.Folder)
    File.WriteAllText(Path.Combine(dir, sprintf "%s.%s" name extension), scratchProject extension compile ids feed.Version)
    File.WriteAllText(Path.Combine(dir, source), program)
    let output = Dotnet.run dir "run -c Release"
    output, JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "obj", "project.assets.json")))

/// The packages (not projects) of a restored graph, as "Id/Version" keys of the net10.0 target.
let private packageGraph (assets: JsonDocument) =
    let target = assets.RootElement.GetProperty("targets").EnumerateObject() |> Seq.head
    [ for library in target.Value.EnumerateObject() do
        if library.Value.GetProperty("type").GetString() = "package" then
            let dependencies =
                match library.Value.TryGetProperty "dependencies" with
                | true, deps -> [ for d in deps.EnumerateObject() -> d.Name ]
                | _ -> []
            let slash = library.Name.IndexOf '/'
            yield library.Name.Substring(0, slash), (library.Name.Substring(slash + 1), dependencies) ]
    |> Map.ofList

/// The F# user the issue names: only FunctionalCache.FSharp and FunctionalCache.Backends, no LanguageExt in the source.
let private fsharpProgram = """open FunctionalCache.FSharp

type Size =
    | Small
    | Large of inches: int

type Shirt = { Sku: string; Size: Size; Tags: string list }

let cache = Cache.fromUri "locmem:///"
let shirt = { Sku = "S-1"; Size = Large 42; Tags = [ "cotton" ] }

let run () =
    task {
        do! cache |> Cache.set "shirt" shirt
        let! found = cache |> Cache.tryGet<Shirt> "shirt"
        printfn "round trip: %b %A" (found = Some shirt) (found |> Option.map (fun s -> s.Size))
        do! cache |> Cache.set<Shirt option> "absent" None
        let! absent = cache |> Cache.tryGet<Shirt option> "absent"
        printfn "stored None: %A" absent
        let! miss = cache |> Cache.tryGet<Shirt option> "never-set"
        printfn "miss: %A" miss
    }

run().GetAwaiter().GetResult()
"""

let private csharpProgram = """using FunctionalCache;
using FunctionalCache.Backends;
using FunctionalCache.Backends.Database;
using FunctionalCache.Http;

var cache = Caches.FromUri("locmem:///");
await cache.SetAsync("greeting", "hello from the packages");
var value = await cache.GetAsync<string>("greeting");
Console.WriteLine(value.IfNoneUnsafe("miss"));
Console.WriteLine(FragmentKeys.MakeTemplateFragmentKey("sidebar", []));

// db:// is found by name because its package is referenced. The file goes with the scratch folder.
var database = Path.Combine(AppContext.BaseDirectory, "smoke.sqlite");
await DatabaseCacheTable.CreateAsync(DatabaseLocation.Sqlite(database), "smoke");
var db = Caches.FromUri($"db://smoke?database={database}");
await db.SetAsync("answer", 42);
Console.WriteLine($"db answer {(await db.GetAsync<int>("answer")).IfNoneUnsafe(0)}");
"""

/// A backend author's test program: the laws on locmem through both runners, from the packages alone.
let private lawsProgram = """open Expecto
open FunctionalCache
open FunctionalCache.Backends.LocMem
open FunctionalCache.Laws
open FunctionalCache.Laws.Expecto

let locmem = Subject.create "locmem" (fun context policy -> LocMemCache(policy, context) :> ICache)

let report = Laws.check LawConfig.defaults locmem
printfn "%O" report
printfn "Laws.check passed: %b, %d laws" report.Passed report.Results.Length
let machine = testList "packaged" [ LawTests.ofLaws locmem (ModelMachine.laws locmem) ]
printfn "Expecto exit code: %d" (runTestsWithCLIArgs [] [| "--no-spinner"; "--colours"; "0" |] machine)
"""

/// The package IDs build.cake's Pack target expects (its `packageIds` list).
let private cakePackageIds (root: string) =
    let cake = File.ReadAllText(Path.Combine(root, "build.cake"))
    let list = Regex.Match(cake, @"var packageIds = new\[\]\s*\{(?<ids>[^}]*)\}")
    [ for m in Regex.Matches(list.Groups["ids"].Value, "\"([^\"]+)\"") -> m.Groups[1].Value ] |> Set.ofList

let private size (bytes: int64) =
    if bytes >= 1_000_000L then sprintf "%.1f MB" (float bytes / 1e6) else sprintf "%.0f kB" (float bytes / 1e3)

/// Each package's own .nupkg size and the sum over it and its package dependencies (the ASP.NET Core and .NET shared
/// frameworks are not packages and are not counted).
let private sizes (feed: Feed) (graph: Map<string, string * string list>) =
    let nupkgSize (id: string) (version: string) =
        let lower = id.ToLowerInvariant()
        let file = Path.Combine(globalPackages (), lower, version.ToLowerInvariant(), sprintf "%s.%s.nupkg" lower (version.ToLowerInvariant()))
        if File.Exists file then FileInfo(file).Length else 0L
    let rec closure (seen: Set<string>) (id: string) =
        if seen.Contains id then seen
        else
            match graph.TryFind id with
            | Some(_, dependencies) -> dependencies |> List.fold closure (seen.Add id)
            | None -> seen
    [ for package in feed.Packages ->
        let own = FileInfo(nupkg feed package.PackageId).Length
        if package.IsTool then package.PackageId, own, own, 1
        else
            let all = closure Set.empty package.PackageId
            let total = all |> Seq.sumBy (fun id -> match graph.TryFind id with Some(v, _) -> nupkgSize id v | None -> 0L)
            package.PackageId, own, total, all.Count ]

[<Tests>]
let tests =
    testSequenced <| testList "Packaging.Pack" [
        testCase "every packable project packs with its README, the licence, XML docs and symbols" <| fun () ->
            let feed = pack.Force()
            Expect.isGreaterThanOrEqual feed.Packages.Length 9 "the libraries and the tool are found"
            Expect.equal (cakePackageIds feed.Root) (feed.Packages |> List.map _.PackageId |> Set.ofList)
                "build.cake's Pack list names every packable project of the repository, and nothing else"
            for package in feed.Packages do
                let id = package.PackageId
                let path = nupkg feed id
                Expect.isTrue (File.Exists path) (sprintf "%s was packed" id)
                Expect.isTrue (File.Exists(Path.ChangeExtension(path, ".snupkg"))) (sprintf "%s has a symbols package" id)
                let files = entries path
                Expect.contains files "README.md" (sprintf "%s carries the README" id)
                let readme = entryText path ((=) "README.md")
                Expect.isFalse (readme.Trim() = "# placeholder") (sprintf "%s has a README of its own" id)
                if not package.IsTool then
                    Expect.isTrue (files |> Set.exists (fun f -> f.StartsWith "lib/net10.0/" && f.EndsWith ".xml")) (sprintf "%s carries its XML docs" id)
                let spec = nuspec path
                Expect.stringContains spec "<license type=\"expression\">MIT</license>" (sprintf "%s has the MIT licence expression" id)
                Expect.stringContains spec "<readme>README.md</readme>" (sprintf "%s names its README" id)
            let http = nuspec (nupkg feed "FunctionalCache.Http")
            Expect.stringContains http (sprintf "<dependency id=\"FunctionalCache.Core\" version=\"%s\"" feed.Version) "Http depends on the Core package"
            Expect.isFalse (http.Contains "FunctionalCache.Backends") "Http, being pure, does not depend on the backends"
            Expect.stringContains (nuspec (nupkg feed "FunctionalCache.Backends.Database"))
                (sprintf "<dependency id=\"FunctionalCache.Backends\" version=\"%s\"" feed.Version) "Database depends on the Backends package, not a project"
            let laws = nuspec (nupkg feed "FunctionalCache.Laws")
            Expect.stringContains laws (sprintf "<dependency id=\"FunctionalCache.FSharp\" version=\"%s\"" feed.Version) "Laws depends on the F# package"
            Expect.stringContains laws "<dependency id=\"FsCheck\"" "Laws brings FsCheck"
            Expect.isFalse (laws.Contains "id=\"Expecto") "Laws needs no test framework"
            let lawsExpecto = nuspec (nupkg feed "FunctionalCache.Laws.Expecto")
            Expect.stringContains lawsExpecto (sprintf "<dependency id=\"FunctionalCache.Laws\" version=\"%s\"" feed.Version) "Laws.Expecto depends on the Laws package"
            Expect.stringContains lawsExpecto "<dependency id=\"Expecto.FsCheck\"" "Laws.Expecto brings Expecto.FsCheck"
            for id in [ "FunctionalCache.Laws"; "FunctionalCache.Laws.Expecto" ] do
                Expect.stringContains (entryText (nupkg feed id) ((=) "README.md")) "docs/writing-a-backend.md" (sprintf "%s's README points to the backend guide" id)

        testCase "an F# console naming only FunctionalCache.FSharp and FunctionalCache.Backends round-trips a record with a union field and reads a stored None as a hit, and its packages hold no database driver" <| fun () ->
            let feed = pack.Force()
            Expect.isFalse (fsharpProgram.Contains "LanguageExt") "the F# source names no LanguageExt"
            let output, assets = runScratch feed "FSharpSmoke" "fsproj" fsharpProgram [ "FunctionalCache.FSharp"; "FunctionalCache.Backends" ]
            Expect.stringContains output "round trip: true Some (Large 42)" "the record with a union field comes back equal"
            Expect.stringContains output "stored None: Some None" "a stored None is a hit"
            Expect.stringContains output "miss: None" "a key never set is a miss"
            let graph = packageGraph assets
            let drivers = graph |> Map.keys |> Seq.filter (fun id -> id.StartsWith "System.Data.SQLite" || id = "Npgsql" || id = "Dapper") |> List.ofSeq
            Expect.isEmpty drivers "a locmem-only app restores no SQLite, Npgsql or Dapper"
            Expect.isTrue (graph.ContainsKey "FunctionalCache.Core") "the graph was read (Core comes through the F# package)"

        testCase "an F# console naming only FunctionalCache.Laws.Expecto checks locmem with Laws.check and with an Expecto list of the machine's laws, and every law holds" <| fun () ->
            let feed = pack.Force()
            let output, assets = runScratch feed "LawsSmoke" "fsproj" lawsProgram [ "FunctionalCache.Laws.Expecto" ]
            Expect.stringContains output "Laws.check passed: true" "every law holds for locmem through the packaged runner"
            Expect.stringContains output "held    model machine / agrees with the map model (150 cases)" "the report lists the machine's law"
            Expect.stringContains output "Expecto exit code: 0" "the packaged Expecto list passes"
            let graph = packageGraph assets
            Expect.isTrue (graph.ContainsKey "FunctionalCache.Laws" && graph.ContainsKey "FsCheck") "Laws and FsCheck come through the Expecto package"

        testCase "a C# console naming every library package restores, builds and runs, db:// found by name; the installed sizes are printed" <| fun () ->
            let feed = pack.Force()
            let libraries = feed.Packages |> List.filter (fun p -> not p.IsTool) |> List.map (fun p -> p.PackageId)
            let output, assets = runScratch feed "CSharpSmoke" "csproj" csharpProgram libraries
            Expect.stringContains output "hello from the packages" "the packaged locmem backend stores and reads a value"
            Expect.stringContains output "template.cache.sidebar.d41d8cd98f00b204e9800998ecf8427e" "the packaged HTTP library is usable"
            Expect.stringContains output "db answer 42" "the packaged db:// backend is found by name and works"
            let table = sizes feed (packageGraph assets)
            printfn "Installed size of each package (its .nupkg; with its package dependencies, shared frameworks not counted):"
            for id, own, total, count in table do
                printfn "  %-38s %9s  %9s in %d package(s)" id (size own) (size total) count
    ]
