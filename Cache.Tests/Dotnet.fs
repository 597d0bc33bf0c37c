/// Running the dotnet CLI from a test (packing the libraries, building scratch projects): the repository's root, the
/// configuration these tests were built in, its packable projects, and a child `dotnet` that does not inherit the
/// test host's MSBuild settings.
module Dotnet

open System
open System.Diagnostics
open System.IO
open System.Xml.Linq

/// The repository's root: the nearest folder holding FunctionalCache.sln above the test binaries.
let repoRoot () =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then failwith "repository root not found above the test binaries"
        elif File.Exists(Path.Combine(dir.FullName, "FunctionalCache.sln")) then dir.FullName
        else up dir.Parent
    up (DirectoryInfo AppContext.BaseDirectory)

/// …/bin/<Configuration>/net10.0/ → <Configuration>.
let configuration () = (DirectoryInfo AppContext.BaseDirectory).Parent.Name

/// Runs `dotnet args` in `dir` for at most `limit`: the exit code, standard output and standard error.
let exec (limit: TimeSpan) (dir: string) (args: string) : int * string * string =
    let info = ProcessStartInfo("dotnet", args, WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    // The test host's own MSBuild settings must not leak into the child builds.
    for name in [ "MSBuildSDKsPath"; "MSBUILD_EXE_PATH"; "MSBuildExtensionsPath"; "MSBuildLoadMicrosoftTargetsReadOnly" ] do
        info.Environment.Remove name |> ignore
    info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] <- "1"
    info.Environment["DOTNET_NOLOGO"] <- "1"
    use p = Process.Start info
    let err = p.StandardError.ReadToEndAsync()
    let out = p.StandardOutput.ReadToEndAsync()
    if not (p.WaitForExit limit) then
        p.Kill true
        failwithf "dotnet %s timed out after %.0f minutes\n%s" args limit.TotalMinutes out.Result
    p.WaitForExit()
    p.ExitCode, out.Result, err.Result

/// Runs dotnet in `dir`; fails with the whole output when it exits non-zero or runs over 5 minutes. Its standard output.
let run (dir: string) (args: string) =
    match exec (TimeSpan.FromMinutes 5.0) dir args with
    | 0, out, _ -> out
    | code, out, err -> failwithf "dotnet %s exited with %d\n%s\n%s" args code out err

/// A project of the repository that packs into a package.
type PackableProject =
    { /// The project file, relative to the repository root (`Cache.Core/Cache.Core.csproj`).
      Project: string
      /// The package ID, which is also the assembly name (`FunctionalCache.Core`).
      PackageId: string
      /// True for a .NET tool (`fcache`): it cannot be a PackageReference or a ProjectReference of a library.
      IsTool: bool }

/// Every project in a folder at the repository's root whose project file does not say `IsPackable` false, in
/// folder order: the libraries and the fcache tool, and any package added later.
let packableProjects (root: string) : PackableProject list =
    let property (doc: XDocument) name =
        doc.Descendants(XName.Get name) |> Seq.tryHead |> Option.map (fun e -> e.Value.Trim())
    [ for dir in Directory.GetDirectories root |> Array.sort do
        for file in Array.append (Directory.GetFiles(dir, "*.csproj")) (Directory.GetFiles(dir, "*.fsproj")) do
            let doc = XDocument.Load file
            if property doc "IsPackable" <> Some "false" then
                let name = Path.GetFileNameWithoutExtension file
                { Project = Path.GetRelativePath(root, file).Replace('\\', '/')
                  PackageId = property doc "PackageId" |> Option.orElse (property doc "AssemblyName") |> Option.defaultValue name
                  IsTool = property doc "PackAsTool" = Some "true" } ]

/// The project's built assembly in `configuration`, which `dotnet pack --no-build` and a build with
/// `BuildProjectReferences=false` need.
let builtAssembly (root: string) (configuration: string) (project: PackableProject) =
    Path.Combine(root, Path.GetDirectoryName project.Project, "bin", configuration, "net10.0", project.PackageId + ".dll")

let private building = obj ()

/// Builds the projects whose assembly is missing in `configuration` (one the tests do not reference, such as a package
/// added beside them), so that the others are never rebuilt underneath tests that run in parallel; one caller at a time.
let ensureBuilt (root: string) (configuration: string) (projects: PackableProject list) =
    lock building (fun () ->
        for project in projects do
            if not (File.Exists(builtAssembly root configuration project)) then
                run root (sprintf "build \"%s\" -c %s" project.Project configuration) |> ignore)
