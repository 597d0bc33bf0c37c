/// The packed-package smoke test: `dotnet pack` the three libraries (already built in this configuration) into a
/// temporary folder feed with a version of their own, check what each package carries, then restore them into a
/// scratch console project from that feed (nuget.org for their dependencies), build it and run it.
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
      "Cache.Http/Cache.Http.csproj", "FunctionalCache.Http" ]

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
Console.WriteLine(value.IfNone("miss"));
Console.WriteLine(FragmentKeys.MakeTemplateFragmentKey("sidebar", []));
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
        testCase "the packed libraries carry README, licence, XML docs and symbols, and a scratch project restores, builds and runs them" <| fun () ->
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
                Expect.stringContains (nuspec (Path.Combine(feed, sprintf "FunctionalCache.Http.%s.nupkg" version)))
                    (sprintf "<dependency id=\"FunctionalCache.Backends\" version=\"%s\"" version) "Http depends on the Backends package, not a project"
                File.WriteAllText(Path.Combine(app, "NuGet.config"), nugetConfig feed)
                File.WriteAllText(Path.Combine(app, "Smoke.csproj"), scratchProject version)
                File.WriteAllText(Path.Combine(app, "Program.cs"), scratchProgram)
                let output = dotnet app "run -c Release"
                Expect.stringContains output "hello from the packages" "the packaged locmem backend stores and reads a value"
                Expect.stringContains output "template.cache.sidebar.d41d8cd98f00b204e9800998ecf8427e" "the packaged HTTP library is usable"
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
