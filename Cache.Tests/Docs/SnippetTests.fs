/// Docs that cannot rot: every ```csharp and ```fsharp block of README.md, docs/*.md and each package's README.md is
/// compiled against the repository's packages. Each language gets one scratch project in a temporary folder that
/// references every packable library project, a prelude that declares the placeholders the prose leaves open (`app`,
/// `builder`, `RenderAsync`…), and one file per block, wrapped so that a fragment compiles and two blocks never collide:
/// a C# block becomes the body of an async method in a namespace of its own (its leading `using` lines above it, type
/// declarations after its statements moved beside the method, as in a top-level program; the Web SDK's implicit usings,
/// as in an ASP.NET Core `Program.cs`), an F# block the contents of a module of its own that opens the blocks above it
/// on the same page. Every generated line carries a line directive naming its Markdown file and line, so the compilers
/// report errors there. Both projects build in one `dotnet build` of a scratch solution (about 30 s on two cores).
/// Besides the libraries, both reference the custom backend sample (docs/writing-a-backend.md uses its types), and the
/// C# one xUnit (the same page shows the laws run from an xUnit test).
module Docs.SnippetTests

open System
open System.IO
open System.Text
open System.Text.RegularExpressions
open Expecto

/// One fenced block.
type Snippet =
    { /// The Markdown file, relative to the repository root.
      File: string
      /// The 1-based line of the opening fence.
      Fence: int
      /// The fence's language tag (`csharp`, `fsharp`, `sh`…; empty when it names none).
      Tag: string
      /// The block's lines with their 1-based line numbers in the file.
      Lines: (int * string) list }

/// The fence tags a block may carry: the two compiled ones and those that are not code to compile.
let private knownTags = set [ "csharp"; "fsharp"; "sh"; "text"; "json"; "xml"; "liquid"; "html"; "diff" ]

let private opening = Regex(@"^( *)(`{3,}|~{3,})[ \t]*([^\s`]*)", RegexOptions.Compiled)

/// The fenced blocks of a Markdown text (CommonMark fences: ``` or ~~~, closed by at least as many of the same).
let parse (file: string) (text: string) : Snippet list =
    let lines = text.Replace("\r\n", "\n").Split '\n'
    let rec scan i acc =
        if i >= lines.Length then List.rev acc
        else
            let m = opening.Match lines[i]
            if not m.Success then scan (i + 1) acc
            else
                let indent, fence, tag = m.Groups[1].Value.Length, m.Groups[2].Value, m.Groups[3].Value
                let closes (line: string) =
                    let t = line.Trim()
                    t.Length >= fence.Length && t |> Seq.forall (fun c -> c = fence[0])
                let rec body j content =
                    if j >= lines.Length || closes lines[j] then j, List.rev content
                    else
                        let line = lines[j]
                        let strip = min indent (line.Length - line.TrimStart(' ').Length)
                        body (j + 1) ((j + 1, line.Substring strip) :: content)
                let last, content = body (i + 1) []
                scan (last + 1) ({ File = file; Fence = i + 1; Tag = tag; Lines = content } :: acc)
    scan 0 []

/// README.md, every docs/*.md and the README.md of every project folder at the root, relative to `root`.
let markdownFiles (root: string) =
    [ yield "README.md"
      for file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md") |> Array.sort do
          yield "docs/" + Path.GetFileName file
      for dir in Directory.GetDirectories root |> Array.sort do
          let isProject = Array.append (Directory.GetFiles(dir, "*.csproj")) (Directory.GetFiles(dir, "*.fsproj")) |> Array.isEmpty |> not
          if isProject && File.Exists(Path.Combine(dir, "README.md")) then
              yield Path.GetFileName dir + "/README.md" ]

let private snippets root =
    [ for file in markdownFiles root do
          yield! parse file (File.ReadAllText(Path.Combine(root, file))) ]

// ---- wrapping -------------------------------------------------------------------------------------------------------

let private csUsing = Regex(@"^using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>, ]+)?\s*;\s*$", RegexOptions.Compiled)
let private csDeclaration =
    Regex(@"^(?:(?:public|internal|file|sealed|static|abstract|partial|readonly)\s+)*(?:record|class|struct|interface|enum)\s", RegexOptions.Compiled)

let private quoted (path: string) = "\"" + path.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""

/// The C# prelude: placeholders for what the snippets leave to the reader. A block's code is the body of a method of a
/// class deriving from it, so a snippet may name these (or declare a local of the same name, which then wins).
let private csPrelude = """
using FunctionalCache;
using FunctionalCache.Backends;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

public abstract class SnippetPrelude
{
    protected static string[] args = [];
    protected static WebApplicationBuilder builder = null!;
    protected static WebApplication app = null!;
    protected static IServiceCollection services = null!;
    protected static ICache cache = null!;
    protected static object model = null!;
    protected static User user = null!;
    protected static Task<string> RenderAsync() => Task.FromResult("");
    protected static Task<string> RenderSidebarAsync(User user) => Task.FromResult(user.Name);
    protected static Task Inbox(HttpContext context) => Task.CompletedTask;

    public sealed record User(string Name);
}
"""

/// The F# prelude, opened by every block's module.
let private fsPrelude = """
module SnippetPrelude

open System.Threading.Tasks
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Http
open FunctionalCache

let args : string array = [||]
let cache : ICache = Unchecked.defaultof<_>
let builder : WebApplicationBuilder = Unchecked.defaultof<_>
let app : WebApplication = Unchecked.defaultof<_>
let renderPage () : Task<string> = Task.FromResult ""
let inbox : RequestDelegate = RequestDelegate(fun _ -> Task.CompletedTask)
"""

let private csFile (root: string) (index: int) (s: Snippet) =
    let path = quoted (Path.Combine(root, s.File))
    let text = StringBuilder()
    let emit (line: int, code: string) = text.Append("#line ").Append(line).Append(' ').AppendLine(path).AppendLine(code) |> ignore
    let isLead (_, code: string) = String.IsNullOrWhiteSpace code || code.TrimStart().StartsWith "//" || csUsing.IsMatch code
    let lead = s.Lines |> List.takeWhile isLead
    let rest = s.Lines |> List.skip lead.Length
    let statements = rest |> List.takeWhile (fun (_, code) -> not (csDeclaration.IsMatch code))
    let declarations = rest |> List.skip statements.Length
    lead |> List.filter (fun (_, code) -> csUsing.IsMatch code) |> List.iter emit
    text.AppendLine("#line default")
        .AppendLine(sprintf "namespace Snippets.S%03d" index)
        .AppendLine("{")
        .AppendLine("    internal sealed class Snippet : global::SnippetPrelude")
        .AppendLine("    {")
        .AppendLine("        internal async global::System.Threading.Tasks.Task Run()")
        .AppendLine("        {") |> ignore
    statements |> List.iter emit
    text.AppendLine("#line default").AppendLine("        }").AppendLine("    }") |> ignore
    declarations |> List.iter emit
    text.AppendLine("#line default").AppendLine("}").ToString()

let private fsOpen = Regex(@"^open\s+[\w.]+\s*$", RegexOptions.Compiled)

/// An F# block's module opens the prelude, then the modules of the blocks above it in the same file and what those
/// blocks opened, so that a page reads as one program (a later definition shadows an earlier one) while no two blocks'
/// definitions collide.
let private fsFile (root: string) (index: int) (earlier: (int * Snippet) list) (s: Snippet) =
    let path = quoted (Path.Combine(root, s.File))
    let text = StringBuilder()
    let emit (line: int, code: string) = text.Append("# ").Append(line).Append(' ').AppendLine(path).AppendLine(code) |> ignore
    text.AppendLine(sprintf "module Snippets.S%03d" index).AppendLine().AppendLine("open SnippetPrelude") |> ignore
    for i, block in earlier do
        block.Lines |> List.filter (fun (_, code) -> fsOpen.IsMatch code) |> List.iter emit
        text.AppendLine("# 1 \"Snippets.fs\"").AppendLine(sprintf "open Snippets.S%03d" i) |> ignore
    s.Lines |> List.iter emit
    text.ToString()

let private project (sdk: string) (sdkSettings: string) (extraItems: string) (references: string list) (compile: string list) =
    let refs = references |> List.map (sprintf "    <ProjectReference Include=\"%s\" />") |> String.concat "\n"
    let files = compile |> List.map (sprintf "    <Compile Include=\"%s\" />") |> String.concat "\n"
    sprintf """<Project Sdk="%s">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
%s
  </PropertyGroup>
  <ItemGroup>
%s
%s
  </ItemGroup>
  <ItemGroup>
%s
  </ItemGroup>
</Project>""" sdk sdkSettings extraItems refs files

// A fragment may leave a value unused, a method without await, a result unbound: those warnings say nothing about the
// docs. Everything else (obsolete members, nullability, incomplete matches) fails the snippet.
let private csSettings = """    <OutputType>Library</OutputType>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
    <NoWarn>CS1998;CS0168;CS0219;CS8321;CS4014</NoWarn>"""

let private fsSettings = """    <DisableImplicitFSharpCoreReference>true</DisableImplicitFSharpCoreReference>
    <NoWarn>FS0020</NoWarn>"""

/// The custom backend sample, built with the tests (Cache.Tests references it): the page on writing a backend uses it.
let private sampleBackend = "samples/CustomBackend/CustomBackend.csproj"

/// The outcome of building every snippet: the snippets and the compiler's error lines, with the repository root removed.
type private Outcome = { Snippets: Snippet list; Errors: string list; Seconds: float }

let private errorLine = Regex(@"^(?<where>.+?)\((?<line>\d+),\d+\): error (?<code>\w+): (?<message>.*?)( \[[^\]]*\])?$", RegexOptions.Compiled)

let private build =
    lazy (
        let root = Dotnet.repoRoot ()
        let config = Dotnet.configuration ()
        let all = snippets root
        let libraries = Dotnet.packableProjects root |> List.filter (fun p -> not p.IsTool)
        Dotnet.ensureBuilt root config libraries
        let references = (libraries |> List.map (fun p -> Path.Combine(root, p.Project))) @ [ Path.Combine(root, sampleBackend) ]
        let temp = Directory.CreateTempSubdirectory "fc-snippets-"
        try
            let write (relative: string) (text: string) =
                let path = Path.Combine(temp.FullName, relative)
                Directory.CreateDirectory(Path.GetDirectoryName path) |> ignore
                File.WriteAllText(path, text)
            let numbered tag = all |> List.mapi (fun i s -> i, s) |> List.filter (fun (_, s) -> s.Tag = tag)
            let csFiles = [ for i, s in numbered "csharp" -> sprintf "S%03d.cs" i, csFile root i s ]
            let fsBlocks = numbered "fsharp"
            let fsFiles =
                [ for i, s in fsBlocks ->
                    let earlier = [ for j, t in fsBlocks do if j < i && t.File = s.File then j, t ]
                    sprintf "S%03d.fs" i, fsFile root i earlier s ]
            for name, text in csFiles do write ("csharp/" + name) text
            for name, text in fsFiles do write ("fsharp/" + name) text
            write "csharp/Prelude.cs" csPrelude
            write "fsharp/Prelude.fs" fsPrelude
            write "csharp/CSharpSnippets.csproj" (project "Microsoft.NET.Sdk.Web" csSettings "    <PackageReference Include=\"xunit\" Version=\"2.9.3\" />" references ("Prelude.cs" :: List.map fst csFiles))
            write "fsharp/FSharpSnippets.fsproj" (project "Microsoft.NET.Sdk" fsSettings "    <FrameworkReference Include=\"Microsoft.AspNetCore.App\" />" references ("Prelude.fs" :: List.map fst fsFiles))
            write "Snippets.slnx" """<Solution>
  <Project Path="csharp/CSharpSnippets.csproj" />
  <Project Path="fsharp/FSharpSnippets.fsproj" />
</Solution>"""
            let clock = Diagnostics.Stopwatch.StartNew()
            // The libraries are built already (the tests reference them): use their assemblies as they are, in this
            // configuration (a solution build would otherwise give projects outside it their default configuration).
            let exit, out, err =
                Dotnet.exec (TimeSpan.FromMinutes 5.0) temp.FullName
                    (sprintf "build Snippets.slnx -c %s -p:BuildProjectReferences=false -p:ShouldUnsetParentConfigurationAndPlatform=false" config)
            let errors =
                (out + "\n" + err).Split('\n')
                |> Array.map (fun l -> l.Trim())
                |> Array.filter (fun l -> l.Contains ": error ")
                |> Array.map (fun l -> Regex.Replace(l, @" \[[^\]]*\]$", "").Replace(root + "/", ""))
                |> Array.distinct
                |> List.ofArray
            // A build that failed without a compiler error (a crash, a missing SDK) must not pass as "no errors".
            let errors = if exit <> 0 && errors.IsEmpty then [ sprintf "dotnet build exited with %d\n%s\n%s" exit out err ] else errors
            { Snippets = all; Errors = errors; Seconds = clock.Elapsed.TotalSeconds }
        finally
            try temp.Delete true with _ -> ())

/// An error line with the block it falls in: `docs/x.md(44,9): error CS0103: … (in the ```csharp block at docs/x.md:40)`.
let private describe (snippets: Snippet list) (error: string) =
    let m = errorLine.Match error
    if not m.Success then error
    else
        let file, line = m.Groups["where"].Value, int m.Groups["line"].Value
        snippets
        |> List.tryFind (fun s -> s.File = file && s.Lines |> List.exists (fun (n, _) -> n = line))
        |> Option.map (fun s -> sprintf "%s (in the ```%s block at %s:%d)" error s.Tag s.File s.Fence)
        |> Option.defaultValue error

let private compiles (tag: string) (language: string) (code: string) =
    testCase (sprintf "every %s block of the README, docs and package READMEs compiles" language) <| fun () ->
        let outcome = build.Force()
        let count = outcome.Snippets |> List.filter (fun s -> s.Tag = tag) |> List.length
        Expect.isGreaterThan count 0 (sprintf "some ```%s blocks were found" tag)
        // An error in no Markdown file (a restore or prelude failure) fails both languages.
        let ours (e: string) =
            let m = errorLine.Match e
            not m.Success || m.Groups["code"].Value.StartsWith code || not (m.Groups["where"].Value.EndsWith ".md")
        let errors = outcome.Errors |> List.filter ours |> List.map (describe outcome.Snippets)
        if not errors.IsEmpty then
            failtestf "%d error(s) in %d ```%s blocks:\n%s" errors.Length count tag (String.concat "\n" errors)
        printfn "Docs: %d ```%s blocks compiled (both languages built in %.0f s)" count tag outcome.Seconds

[<Tests>]
let tests =
    testSequenced <| testList "Docs" [
        testCase "every fenced block names a language this test knows, so no code hides from the compilers" <| fun () ->
            let root = Dotnet.repoRoot ()
            let unknown =
                snippets root
                |> List.filter (fun s -> not (knownTags.Contains s.Tag))
                |> List.map (fun s -> sprintf "%s:%d: ```%s" s.File s.Fence s.Tag)
            if not unknown.IsEmpty then
                failtestf "fences need one of the tags %s:\n%s" (String.Join(", ", knownTags)) (String.concat "\n" unknown)

        testCase "the backend docs/writing-a-backend.md shows is samples/CustomBackend/DictionaryCache.cs as it is, the one the laws check" <| fun () ->
            let root = Dotnet.repoRoot ()
            let page = "docs/writing-a-backend.md"
            let shown =
                parse page (File.ReadAllText(Path.Combine(root, page)))
                |> List.filter (fun s -> s.Tag = "csharp" && s.Lines |> List.exists (fun (_, code) -> code.StartsWith "public class DictionaryCache : CacheBase"))
            Expect.equal shown.Length 1 "one C# block of the page declares DictionaryCache"
            let file = File.ReadAllLines(Path.Combine(root, "samples/CustomBackend/DictionaryCache.cs"))
            // The file's namespace line is the one difference: a block is compiled in a namespace of its own.
            let text (lines: string seq) =
                (lines |> Seq.filter (fun line -> not (line.StartsWith "namespace ")) |> String.concat "\n")
                    .Replace("\n\n\n", "\n\n").Trim()
            Expect.equal (text (shown.Head.Lines |> List.map snd)) (text file) $"the block at {page}:{shown.Head.Fence} is the sample's file"

        testCase "fences are found with their lines, tags and indentation" <| fun () ->
            let text = "# T\n\n```csharp\nvar x = 1;\n```\n\n- item\n\n  ````fsharp\n  let y = 2\n\n  ````\n~~~\nplain\n~~~\n"
            let found = parse "x.md" text
            Expect.equal [ for s in found -> s.Tag, s.Fence ] [ "csharp", 3; "fsharp", 9; "", 13 ] "tags and fence lines"
            Expect.equal found[1].Lines [ 10, "let y = 2"; 11, "" ] "the list item's indentation is removed"
            Expect.equal found[0].Lines [ 4, "var x = 1;" ] "the C# block"

        compiles "csharp" "C#" "CS"
        compiles "fsharp" "F#" "FS"
    ]
