/// The packed-package smoke test: `dotnet pack` the libraries (already built in this configuration) into a
/// temporary folder feed with a version of their own, check what each package carries and which packages it depends
/// on, then restore them into a C# and an F# scratch console project from that feed (nuget.org for their
/// dependencies), build them and run them.
module Packaging.PackTests

open System
open System.Diagnostics
open System.IO
open System.IO.Compression
open Expecto

let private repoRoot () =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then failwith "repository root not found above the test binaries"
        elif File.Exists(Path.Combine(dir.FullName, "FunctionalCache.sln")) then dir.FullName
        else up dir.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

/// …/bin/<Configuration>/net10.0/ → <Configuration>.
let private configuration () = (DirectoryInfo AppContext.BaseDirectory).Parent.Name

/// Runs dotnet in `dir`; fails with the whole output when it exits non-zero.
let private dotnet (dir: string) (args: string) =
    let info = ProcessStartInfo("dotnet", args, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    // The test host's own MSBuild settings must not leak into the child builds.
    for name in [ "MSBuildSDKsPath"; "MSBUILD_EXE_PATH"; "MSBuildExtensionsPath"; "MSBuildLoadMicrosoftTargetsReadOnly" ] do
        info.Environment.Remove name |> ignore
    info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] <- "1"
    info.Environment["DOTNET_NOLOGO"] <- "1"
    use p = Process.Start info
    let err = p.StandardError.ReadToEndAsync()
    let out = p.StandardOutput.ReadToEnd()
    if not (p.WaitForExit(TimeSpan.FromMinutes 3.0)) then
        p.Kill true
        failwithf "dotnet %s timed out after 3 minutes\n%s" args out
    if p.ExitCode <> 0 then failwithf "dotnet %s exited with %d\n%s\n%s" args p.ExitCode out err.Result
    out

let private libraries =
    [ "Cache.Core/Cache.Core.csproj", "FunctionalCache.Core"
      "Cache.Backends/Cache.Backends.csproj", "FunctionalCache.Backends"
      "Cache.Backends.Database/Cache.Backends.Database.csproj", "FunctionalCache.Backends.Database"
      "Cache.Backends.Memcached/Cache.Backends.Memcached.csproj", "FunctionalCache.Backends.Memcached"
      "Cache.Http/Cache.Http.csproj", "FunctionalCache.Http"
      "Cache.Http.AspNetCore/Cache.Http.AspNetCore.csproj", "FunctionalCache.Http.AspNetCore"
      "Cache.Http.Fluid/Cache.Http.Fluid.csproj", "FunctionalCache.Http.Fluid"
      "Cache.FSharp/Cache.FSharp.fsproj", "FunctionalCache.FSharp" ]

/// Which FunctionalCache packages each package depends on: the pure/effectful split, as packages see it.
let private dependencies =
    [ "FunctionalCache.Core", []
      "FunctionalCache.Backends", [ "FunctionalCache.Core" ]
      "FunctionalCache.Backends.Database", [ "FunctionalCache.Backends" ]
      "FunctionalCache.Backends.Memcached", [ "FunctionalCache.Backends" ]
      "FunctionalCache.Http", [ "FunctionalCache.Core" ]
      "FunctionalCache.Http.AspNetCore", [ "FunctionalCache.Backends"; "FunctionalCache.Http" ]
      "FunctionalCache.Http.Fluid", [ "FunctionalCache.Http" ]
      "FunctionalCache.FSharp", [ "FunctionalCache.Backends"; "FunctionalCache.Core"; "FunctionalCache.Http" ] ]

let private scratchProject version =
    sprintf """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="FunctionalCache.Backends" Version="%s" />
    <PackageReference Include="FunctionalCache.Http" Version="%s" />
  </ItemGroup>
</Project>""" version version

let private scratchProgram = """using FunctionalCache;
using FunctionalCache.Backends;
using FunctionalCache.Http;

var cache = Caches.FromUri("locmem:///");
await cache.SetAsync("greeting", "hello from the packages");
var value = await cache.GetAsync<string>("greeting");
Console.WriteLine(value.IfNoneUnsafe("miss"));
Console.WriteLine(FragmentKeys.MakeTemplateFragmentKey("sidebar", []));
"""

let private scratchFSharpProject version =
    sprintf """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="Program.fs" />
  </ItemGroup>
  <ItemGroup>
    <PackageReference Include="FunctionalCache.FSharp" Version="%s" />
  </ItemGroup>
</Project>""" version

let private scratchFSharpProgram = """open FunctionalCache.FSharp

type Mood =
    | Happy
    | Curious of string

type Greeting = { Text: string; Mood: Mood; Tags: string list }

let cache = Cache.fromUri "locmem:///"
(cache |> Cache.set "greeting" { Text = "hello from the F# package"; Mood = Curious "why"; Tags = [ "a" ] }).Wait()
match (cache |> Cache.tryGet<Greeting> "greeting").Result with
| Some { Text = text; Mood = Curious why } -> printfn "%s (%s)" text why
| other -> printfn "unexpected %A" other
"""

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

let private entries (nupkg: string) =
    use zip = ZipFile.OpenRead nupkg
    zip.Entries |> Seq.map (fun e -> e.FullName) |> Set.ofSeq

let private nuspec (nupkg: string) =
    use zip = ZipFile.OpenRead nupkg
    let entry = zip.Entries |> Seq.find (fun e -> e.FullName.EndsWith ".nuspec")
    use reader = new StreamReader(entry.Open())
    reader.ReadToEnd()

[<Tests>]
let tests =
    testSequenced <| testList "Packaging.Pack" [
        testCase "the packed libraries carry README, licence, XML docs and symbols, depend on each other by package along the pure/effectful split, and a C# and an F# scratch project restore, build and run them" <| fun () ->
            let root = repoRoot ()
            let config = configuration ()
            // A version no earlier run used, so the global package cache never serves a stale copy; removed afterwards.
            let version = sprintf "0.0.0-smoke%s" (DateTime.UtcNow.ToString "yyyyMMddHHmmssfff")
            let temp = Directory.CreateTempSubdirectory("fc-pack-")
            let feed = Path.Combine(temp.FullName, "feed")
            let app = Path.Combine(temp.FullName, "app")
            let globalPackages =
                match Environment.GetEnvironmentVariable "NUGET_PACKAGES" with
                | null | "" -> Path.Combine(Environment.GetFolderPath Environment.SpecialFolder.UserProfile, ".nuget", "packages")
                | path -> path
            try
                Directory.CreateDirectory feed |> ignore
                Directory.CreateDirectory app |> ignore
                for project, _ in libraries do
                    dotnet root (sprintf "pack \"%s\" -c %s --no-build -p:Version=%s -o \"%s\"" project config version feed) |> ignore
                for _, id in libraries do
                    let nupkg = Path.Combine(feed, sprintf "%s.%s.nupkg" id version)
                    Expect.isTrue (File.Exists nupkg) (sprintf "%s was packed" id)
                    Expect.isTrue (File.Exists(Path.ChangeExtension(nupkg, ".snupkg"))) (sprintf "%s has a symbols package" id)
                    let files = entries nupkg
                    Expect.contains files "README.md" (sprintf "%s carries the README" id)
                    Expect.isTrue (files |> Set.exists (fun f -> f.StartsWith "lib/net10.0/" && f.EndsWith ".xml")) (sprintf "%s carries its XML docs" id)
                    let spec = nuspec nupkg
                    Expect.stringContains spec "<license type=\"expression\">MIT</license>" (sprintf "%s has the MIT licence expression" id)
                    Expect.stringContains spec "<readme>README.md</readme>" (sprintf "%s names its README" id)
                for id, expected in dependencies do
                    let spec = nuspec (Path.Combine(feed, sprintf "%s.%s.nupkg" id version))
                    let found =
                        [ for _, other in libraries do
                              if spec.Contains(sprintf "<dependency id=\"%s\" version=\"%s\"" other version) then yield other ]
                    Expect.equal (set found) (set expected) (sprintf "%s depends on exactly these FunctionalCache packages, by package, not project" id)
                File.WriteAllText(Path.Combine(app, "NuGet.config"), nugetConfig feed)
                File.WriteAllText(Path.Combine(app, "Smoke.csproj"), scratchProject version)
                File.WriteAllText(Path.Combine(app, "Program.cs"), scratchProgram)
                let output = dotnet app "run -c Release"
                Expect.stringContains output "hello from the packages" "the packaged locmem backend stores and reads a value"
                Expect.stringContains output "template.cache.sidebar.d41d8cd98f00b204e9800998ecf8427e" "the packaged HTTP library is usable"
                let fsharpApp = Path.Combine(temp.FullName, "fsharp-app")
                Directory.CreateDirectory fsharpApp |> ignore
                File.WriteAllText(Path.Combine(fsharpApp, "NuGet.config"), nugetConfig feed)
                File.WriteAllText(Path.Combine(fsharpApp, "Smoke.fsproj"), scratchFSharpProject version)
                File.WriteAllText(Path.Combine(fsharpApp, "Program.fs"), scratchFSharpProgram)
                let output = dotnet fsharpApp "run -c Release"
                Expect.stringContains output "hello from the F# package (why)" "the packaged F# face stores and reads a record with a union"
            finally
                for _, id in libraries do
                    let cached = Path.Combine(globalPackages, id.ToLowerInvariant(), version)
                    try
                        if Directory.Exists cached then Directory.Delete(cached, true)
                        let parent = Path.GetDirectoryName cached
                        if Directory.Exists parent && Array.isEmpty (Directory.GetFileSystemEntries parent) then Directory.Delete parent
                    with _ -> ()
                try temp.Delete true with _ -> ()
    ]
