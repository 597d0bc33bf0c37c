/// The file backend (`file://`): Django's common contract and its file-based cases (reference/django-tests.md
/// sections B and D), the recorded timeouts, corrupt files, keys that try to name a path, and two
/// multi-process tests: a writer killed with SIGKILL again and again, and two processes plus threads
/// hammering one directory.
module Backends.FileTests

open System
open System.Diagnostics
open System.IO
open System.Text
open System.Text.Json
open System.Threading
open System.Threading.Tasks
open Expecto
open FunctionalCache
open FunctionalCache.Backends
open FunctionalCache.Backends.File
open FunctionalCache.FSharp
open FunctionalCache.Laws.ContractFixture
open Backends.BaseCacheTests

// ---------------------------------------------------------------- directories

/// A fresh, empty directory under the system temp directory.
let private tempRoot () = Directory.CreateTempSubdirectory("fcache-test-").FullName

let private removeTree (path: string) =
    try
        if Directory.Exists path then Directory.Delete(path, true)
    with :? IOException | :? UnauthorizedAccessException -> ()

/// Runs `body` with a fresh directory that is deleted afterwards.
let private withDirectory (body: string -> unit) =
    let root = tempRoot ()
    try body root finally removeTree root

let private fileCache (dir: string) (context: CacheContext) (policy: CachePolicy) = FileBasedCache(dir, policy, context)

/// The names in a directory (files and directories), recursively, relative to it.
let private tree (root: string) =
    Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
    |> Seq.map (fun p -> Path.GetRelativePath(root, p))
    |> Set.ofSeq

let private isEntryName (name: string) =
    name.Length = 64 + ".fcache".Length && name.EndsWith ".fcache" && name.[..63] |> Seq.forall (fun c -> Char.IsAsciiHexDigitLower c || Char.IsAsciiDigit c)

// ---------------------------------------------------------------- the file-specific cases

/// A fake clock, a cache over `root/cache` and that directory, for the file-specific cases.
type private World =
    { Clock: Microsoft.Extensions.Time.Testing.FakeTimeProvider
      Cache: FileBasedCache
      Dir: string
      Root: string }
    member w.Api = w.Cache :> ICache

let private withCache (policy: CachePolicy) (body: World -> unit) =
    withDirectory (fun root ->
        let clock, _, context = testContext ()
        let dir = Path.Combine(root, "cache")
        body { Clock = clock; Cache = fileCache dir context policy; Dir = dir; Root = root })

let private case name body = testCase name (fun () -> withCache Policy.defaults body)

// ---------------------------------------------------------------- Django's section D

let private unixMode (path: string) = File.GetUnixFileMode path

let private sectionD =
    [ case "a file that is not a cache file survives clear (test_ignores_non_cache_files)" (fun w ->
          w.Api |> Cache.set "foo" "bar" |> run
          let foreign = Path.Combine(w.Dir, "not-a-cache-file")
          File.WriteAllText(foreign, "keep me")
          let lookalike = Path.Combine(w.Dir, String('a', 64) + ".fcache")
          File.WriteAllText(lookalike, "a file with our suffix and name shape but not our header")
          w.Api |> Cache.clear |> run
          Expect.isTrue (File.Exists foreign) "the foreign file stays"
          Expect.equal (File.ReadAllText lookalike) "a file with our suffix and name shape but not our header" "a look-alike without our header stays"
          Expect.isFalse (File.Exists(w.Cache.FileNameOf "foo")) "our file is gone"
          Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) None "cleared")

      case "clear keeps the directory (test_clear_does_not_remove_cache_dir)" (fun w ->
          w.Api |> Cache.set "foo" "bar" |> run
          w.Api |> Cache.clear |> run
          Expect.isTrue (Directory.Exists w.Dir) "the directory exists")

      case "a deleted directory is recreated by the next write (test_creates_cache_dir_if_nonexistent)" (fun w ->
          w.Api |> Cache.set "first" "value" |> run
          Directory.Delete(w.Dir, true)
          w.Api |> Cache.set "foo" "bar" |> run
          Expect.isTrue (Directory.Exists w.Dir) "recreated"
          Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) (Some "bar") "and written"
          Expect.equal (w.Api |> Cache.tryGet<string> "first" |> run) None "the old entry went with the directory")

      case "reads, deletes and clear on a missing directory are misses, not errors" (fun w ->
          Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) None "get"
          Expect.isFalse (w.Api |> Cache.hasKey "foo" |> run) "has_key"
          Expect.isFalse (w.Api |> Cache.delete "foo" |> run) "delete"
          w.Api |> Cache.clear |> run
          Expect.isFalse (Directory.Exists w.Dir) "nothing created by reads")

      case "a file removed behind the cache's back is a miss (test_get_ignores_enoent, test_has_key_race_handling)" (fun w ->
          Expect.isTrue (w.Api |> Cache.add "foo" "bar" |> run) "added"
          File.Delete(w.Cache.FileNameOf "foo")
          Expect.equal (w.Api |> Cache.getOr "baz" "foo" |> run) "baz" "get falls back to the default"
          Expect.isFalse (w.Api |> Cache.hasKey "foo" |> run) "has_key is false")

      testCase "the directory and every parent it creates get mode 0700 (test_cache_dir_permissions)" <| fun () ->
          if OperatingSystem.IsWindows() then failtest "POSIX modes: run on Unix"
          withDirectory (fun root ->
              let top = Path.Combine(root, "new-root")
              let dir = Path.Combine(top, "nested", "filebasedcache")
              let cache = FileBasedCache(dir, Policy.defaults, CacheContext.Default) :> ICache
              cache |> Cache.set "foo" "bar" |> run
              let owner = UnixFileMode.UserRead ||| UnixFileMode.UserWrite ||| UnixFileMode.UserExecute
              for d in [ dir; Path.Combine(top, "nested"); top ] do
                  Expect.equal (unixMode d) owner $"{d} is 0700"
              Expect.equal (unixMode (Path.Combine(dir, Path.GetFileName((cache :?> FileBasedCache).FileNameOf "foo")))) (UnixFileMode.UserRead ||| UnixFileMode.UserWrite) "entry files are 0600")

      case "an I/O failure other than a missing file surfaces as CacheBackendException naming the path (test_get_does_not_ignore_non_filenotfound_exceptions)" (fun w ->
          w.Api |> Cache.set "other" "value" |> run
          let path = w.Cache.FileNameOf "foo"
          Directory.CreateDirectory path |> ignore // a directory where the entry file should be
          for name, op in [ "get", (fun () -> w.Api |> Cache.tryGet<string> "foo" |> run |> ignore)
                            "has_key", (fun () -> w.Api |> Cache.hasKey "foo" |> run |> ignore)
                            "incr", (fun () -> w.Api |> Cache.incr "foo" |> run |> ignore)
                            "add", (fun () -> w.Api |> Cache.add "foo" "x" |> run |> ignore) ] do
              let e = throws<CacheBackendException> op
              Expect.stringContains e.Message path $"{name}: the message names the path"
              Expect.isNotNull e.InnerException $"{name}: the cause is inside")

      case "a directory that cannot be created is a CacheBackendException naming it" (fun w ->
          let blocker = Path.Combine(w.Root, "a-file")
          File.WriteAllText(blocker, "not a directory")
          let dir = Path.Combine(blocker, "cache")
          let cache = FileBasedCache(dir, Policy.defaults, CacheContext.Default) :> ICache
          let e = throws<CacheBackendException> (fun () -> cache |> Cache.set "foo" "bar" |> run)
          Expect.stringContains e.Message dir "names the directory"
          Expect.isNotNull e.InnerException "the cause is inside")

      testCase "a location that is a regular file (or lies under one) fails every operation with a CacheBackendException naming it" <| fun () ->
          withDirectory (fun root ->
              let plain = Path.Combine(root, "plain-file")
              File.WriteAllText(plain, "not a directory")
              for location in [ plain; Path.Combine(plain, "cache") ] do
                  let cache = FileBasedCache(location, Policy.defaults, CacheContext.Default)
                  let api = cache :> ICache
                  let operations =
                      [ "get", (fun () -> api |> Cache.tryGet<string> "foo" |> run |> ignore)
                        "has_key", (fun () -> api |> Cache.hasKey "foo" |> run |> ignore)
                        "delete", (fun () -> api |> Cache.delete "foo" |> run |> ignore)
                        "touch", (fun () -> api |> Cache.touch Expire.never "foo" |> run |> ignore)
                        "clear", (fun () -> api |> Cache.clear |> run)
                        "count", (fun () -> cache.ApproximateCount |> ignore)
                        "set", (fun () -> api |> Cache.set "foo" "bar" |> run) ]
                  for name, op in operations do
                      let e = throws<CacheBackendException> op
                      Expect.equal e.Message $"The file cache directory '{location}' is unusable: '{plain}' is not a directory." $"{name} on {location}: one line naming the path"
                  Expect.equal (File.ReadAllText plain) "not a directory" "the file is left alone")

      case "an empty cache file is a miss and is removed (test_empty_cache_file_considered_expired)" (fun w ->
          w.Api |> Cache.set "foo" "bar" |> run
          File.WriteAllBytes(w.Cache.FileNameOf "foo", [||])
          Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) None "miss"
          Expect.isFalse (File.Exists(w.Cache.FileNameOf "foo")) "removed")

      case "touch with an advanced clock extends the entry (test_touch)" (fun w ->
          w.Api |> Cache.setFor (Expire.seconds 1.0) "expire1" "very quickly" |> run
          Expect.isTrue (w.Api |> Cache.touch (Expire.seconds 30.0) "expire1" |> run) "touched"
          advance w.Clock 2.0
          Expect.equal (w.Api |> Cache.tryGet<string> "expire1" |> run) (Some "very quickly") "alive after the old deadline"
          advance w.Clock 29.0
          Expect.equal (w.Api |> Cache.tryGet<string> "expire1" |> run) None "gone at the new deadline"
          Expect.isFalse (w.Api |> Cache.touch Expire.byDefault "expire1" |> run) "touching a dead key is false") ]

// ---------------------------------------------------------------- damaged files

let private damaged =
    let damage name (spoil: byte[] -> byte[]) =
        case $"{name} is a miss and is removed" (fun w ->
            w.Api |> Cache.set "foo" "some value long enough to cut" |> run
            let path = w.Cache.FileNameOf "foo"
            File.WriteAllBytes(path, spoil (File.ReadAllBytes path))
            Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) None "get misses"
            Expect.isFalse (File.Exists path) "the file is removed"
            w.Api |> Cache.set "foo" "again" |> run
            Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) (Some "again") "the key works again")
    [ damage "a truncated file (half of it)" (fun b -> b[.. b.Length / 2])
      damage "a file cut inside the header" (fun b -> b[..10])
      damage "a file with bytes appended" (fun b -> Array.append b [| 1uy; 2uy |])
      damage "a file of random bytes" (fun b -> let r = Random(7) in let x = Array.zeroCreate b.Length in r.NextBytes x; x)
      damage "a file of zeros (never written out before a power cut)" (fun b -> Array.zeroCreate b.Length)
      damage "a file of another format version" (fun b -> let c = Array.copy b in c[6] <- 99uy; c)
      damage "a file with unknown flags" (fun b -> let c = Array.copy b in c[7] <- 0x80uy; c)
      damage "a file whose header claims a longer payload" (fun b -> let c = Array.copy b in c[20] <- c[20] + 5uy; c)
      damage "a foreign file (Django's pickle) under our name" (fun _ -> Encoding.ASCII.GetBytes "\x80\x04\x95\x0c\x00\x00\x00\x00")
      case "a file holding another key (a digest collision) is a miss for this key and is left alone" (fun w ->
          w.Api |> Cache.set "foo" "foo's value" |> run
          w.Api |> Cache.set "bar" "bar's value" |> run
          File.Copy(w.Cache.FileNameOf "bar", w.Cache.FileNameOf "foo", true)
          Expect.equal (w.Api |> Cache.tryGet<string> "foo" |> run) None "foo misses"
          Expect.isFalse (w.Api |> Cache.hasKey "foo" |> run) "has_key too"
          Expect.isTrue (File.Exists(w.Cache.FileNameOf "foo")) "not removed") ]

// ---------------------------------------------------------------- the read path

/// The open descriptors of this process (Linux), for the leak check.
let private openDescriptors () = Directory.EnumerateFileSystemEntries("/proc/self/fd") |> Seq.length

let private reading =
    [ case "entries below, at and past the first read's 4 KiB read back whole, in any order, on one thread" (fun w ->
          // File sizes cross 4096 one byte at a time (one read, a read that fills the buffer, reading on), plus a large one.
          let entries = [ for n in [ 0; 1; 100; 100_000 ] @ [ 4020 .. 4100 ] -> $"k{n}", String('x', n) + string n ]
          for key, value in entries do w.Api |> Cache.set key value |> run
          for key, value in entries @ List.rev entries do
              Expect.equal (w.Api |> Cache.tryGet<string> key |> run) (Some value) $"{key}: its own value, not the last read's bytes"
          let big, small = "k100000", "k1"
          Expect.equal (w.Api |> Cache.getMany<string> [ big; small; big ] |> run |> Map.toList) [ small, "x1"; big, String('x', 100_000) + "100000" ] "get-many"
          Expect.isTrue (w.Api |> Cache.touch (Expire.seconds 60.0) big |> run) "touch a large entry"
          Expect.equal (w.Api |> Cache.tryGet<string> big |> run) (Some(String('x', 100_000) + "100000")) "still whole after touch"
          Expect.isTrue (w.Api |> Cache.delete big |> run) "delete reads the large claimed file and reports it live")

      case "hits, large hits and misses close every file they open" (fun w ->
          if OperatingSystem.IsLinux() then
              w.Api |> Cache.set "small" "value" |> run
              w.Api |> Cache.set "large" (String('y', 10_000)) |> run
              let before = openDescriptors ()
              for _ in 1 .. 2000 do
                  w.Api |> Cache.tryGet<string> "small" |> run |> ignore
                  w.Api |> Cache.tryGet<string> "large" |> run |> ignore
                  w.Api |> Cache.tryGet<string> "absent" |> run |> ignore
              // Other tests run beside this one and open files too; a leak here would be thousands.
              Expect.isLessThan (openDescriptors () - before) 200 "no descriptor left open") ]

// ---------------------------------------------------------------- recorded timeouts

/// backend_timeouts.json has no file column: Django's file backend computes its expiry with the same
/// `get_backend_timeout` as locmem (now + timeout, None = never), so the locmem column is the file
/// expectation. Each vector is checked through the files: visible one tick before the deadline, gone at it.
let private timeoutVectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "backend_timeouts.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          let resolved = e.GetProperty "default_timeout_resolved"
          let policyDefault = if resolved.ValueKind = JsonValueKind.Null then Expire.never else Expire.seconds (resolved.GetDouble())
          let argument, text =
              match e.TryGetProperty "timeout_arg" with
              | false, _ -> Expire.byDefault, "omitted"
              | true, a when a.ValueKind = JsonValueKind.Null -> Expire.never, "None"
              | true, a when a.ValueKind = JsonValueKind.String && a.GetString() = "DEFAULT" -> Expire.byDefault, "DEFAULT"
              | true, a -> Expire.seconds (a.GetDouble()), a.GetRawText()
          let expected = e.GetProperty "locmem_expiry_minus_now"
          i, e.GetProperty("configured_TIMEOUT").GetRawText(), policyDefault, argument, text,
          (if expected.ValueKind = JsonValueKind.Null then None else Some(expected.GetDouble())) ]

let private vectors =
    testList "backend_timeouts.json (file = locmem column)" [
        for i, configured, policyDefault, argument, text, expected in timeoutVectors ->
            let name = $"#{i} TIMEOUT {configured}, timeout {text}"
            let policy = Policy.defaults |> Policy.expire policyDefault
            match expected with
            | None ->
                testCase $"{name} → never expires" <| fun () ->
                    withCache policy (fun w ->
                        w.Api |> Cache.setFor argument "key" "value" |> run
                        w.Clock.Advance(TimeSpan.FromDays 36500.0)
                        Expect.equal (w.Api |> Cache.tryGet<string> "key" |> run) (Some "value") "a century later")
            | Some seconds when seconds > 0.0 ->
                testCase $"{name} → visible until now + {seconds} s" <| fun () ->
                    withCache policy (fun w ->
                        w.Api |> Cache.setFor argument "key" "value" |> run
                        let ticks = int64 (Math.Round(seconds * float TimeSpan.TicksPerSecond))
                        w.Clock.Advance(TimeSpan.FromTicks(ticks - 1L))
                        Expect.equal (w.Api |> Cache.tryGet<string> "key" |> run) (Some "value") "one tick before"
                        w.Clock.Advance(TimeSpan.FromTicks 1L)
                        Expect.equal (w.Api |> Cache.tryGet<string> "key" |> run) None "at the deadline"
                        Expect.isFalse (File.Exists(w.Cache.FileNameOf "key")) "the expired file was removed")
            | Some seconds ->
                testCase $"{name} → no file written (Django writes one expired at now {seconds} s)" <| fun () ->
                    withCache policy (fun w ->
                        w.Api |> Cache.set "key" "old" |> run
                        w.Api |> Cache.setFor argument "key" "value" |> run
                        Expect.isFalse (File.Exists(w.Cache.FileNameOf "key")) "no file"
                        Expect.equal (w.Api |> Cache.tryGet<string> "key" |> run) None "miss") ]

// ---------------------------------------------------------------- keys that try to name a path

let private hostileKeys =
    [ "../../etc/passwd"; "..\\..\\windows\\win.ini"; "/etc/passwd"; "C:\\Windows\\system.ini"; "..";  "."; ""
      "a/b/c"; "nul\u0000byte"; "CON"; "~root"; "$(rm -rf /)"; String('k', 10_000); String('/', 300); "清/../清" ]

let private security =
    [ for key in hostileKeys ->
          let shown = if key.Length > 40 then $"{key.Length} characters of '{key[0]}'" else key.Replace("\u0000", "\\0")
          testCase $"key '{shown}' creates files only inside the cache directory, named by its digest" <| fun () ->
              withDirectory (fun root ->
                  // root/box/cache: a key that climbed out of the cache directory would land in box or root.
                  let clock, _, context = testContext ()
                  let dir = Path.Combine(root, "box", "cache")
                  let file = FileBasedCache(dir, Policy.defaults |> Policy.keyFunction (fun k _ _ -> k), context)
                  let cache = file :> ICache
                  cache |> Cache.set "seed" "creates the directory" |> run
                  let inCache (p: string) = p = Path.Combine("box", "cache") || p.StartsWith(Path.Combine("box", "cache") + string Path.DirectorySeparatorChar)
                  let outside () = tree root |> Set.filter (inCache >> not)
                  let before = outside ()
                  let passwd () = if File.Exists "/etc/passwd" then Some(File.GetLastWriteTimeUtc "/etc/passwd", FileInfo("/etc/passwd").Length) else None
                  let passwdBefore = passwd ()
                  cache |> Cache.set key "value" |> run
                  Expect.equal (cache |> Cache.tryGet<string> key |> run) (Some "value") "round trip"
                  Expect.isTrue (cache |> Cache.add (key + "x") "v" |> run) "add"
                  cache |> Cache.incr key |> run |> ignore
                  cache |> Cache.touch Expire.byDefault key |> run |> ignore
                  Expect.isTrue (cache |> Cache.delete key |> run) "delete"
                  cache |> Cache.set key "again" |> run
                  clock.Advance(TimeSpan.FromDays 1.0)
                  cache |> Cache.clear |> run
                  cache |> Cache.set key "after clear" |> run
                  Expect.equal (outside ()) before "nothing new outside the cache directory"
                  Expect.equal (passwd ()) passwdBefore "/etc/passwd untouched"
                  for name in tree dir do
                      Expect.isTrue (isEntryName name || name.EndsWith ".fcache-lock") $"'{name}' is a digest name or a lock file"
                  Expect.equal (Path.GetDirectoryName(file.FileNameOf key)) dir "the key's file is in the directory") ]

// ---------------------------------------------------------------- culling and counting

let private culling =
    [ testCase "expired files go first when culling" <| fun () ->
          withCache (Policy.defaults |> Policy.maxEntries 10 |> Policy.cullFrequency 3) (fun w ->
              for i in 1..5 do w.Api |> Cache.setFor (Expire.seconds 10.0) $"short{i}" i |> run
              for i in 1..5 do w.Api |> Cache.setFor (Expire.seconds 1000.0) $"long{i}" i |> run
              advance w.Clock 20.0
              w.Api |> Cache.set "new" 0 |> run
              Expect.equal [ for i in 1..5 -> w.Api |> Cache.hasKey $"long{i}" |> run ] [ true; true; true; true; true ] "every live entry stays (5 expired went instead of 3 live)"
              Expect.isTrue (w.Api |> Cache.hasKey "new" |> run) "the new entry is there"
              Expect.equal (Directory.GetFiles(w.Dir, "*.fcache").Length) 6 "five expired files removed")

      testCase "with nothing expired, the entries nearest their deadline are culled" <| fun () ->
          withCache (Policy.defaults |> Policy.maxEntries 6 |> Policy.cullFrequency 3) (fun w ->
              for i in 1..6 do w.Api |> Cache.setFor (Expire.seconds (100.0 * float i)) $"k{i}" i |> run
              w.Api |> Cache.set "new" 0 |> run
              Expect.equal [ for i in 1..6 -> w.Api |> Cache.hasKey $"k{i}" |> run ] [ false; false; true; true; true; true ] "6 / 3 = 2 removed: the two soonest"
              Expect.isTrue (w.Api |> Cache.hasKey "new" |> run) "new")

      testCase "writes do not list the directory: files planted behind the cache's back are not counted until a cull" <| fun () ->
          withCache (Policy.defaults |> Policy.maxEntries 20) (fun w ->
              for i in 1..3 do w.Api |> Cache.set $"k{i}" i |> run
              Expect.equal w.Cache.ApproximateCount 3 "counted by the first listing and the writes"
              let source = w.Cache.FileNameOf "k1"
              for i in 1..10 do File.Copy(source, Path.Combine(w.Dir, sprintf "%064x.fcache" i))
              for i in 4..8 do w.Api |> Cache.set $"k{i}" i |> run
              Expect.equal w.Cache.ApproximateCount 8 "the ten planted files are not seen: no listing on write"
              for i in 9..20 do w.Api |> Cache.set $"k{i}" i |> run
              // The count reached 20 at k20; k21 triggers a listing that finds 30 files and culls down.
              w.Api |> Cache.set "k21" 21 |> run
              let files = Directory.GetFiles(w.Dir, "*.fcache").Length
              Expect.isLessThanOrEqual files 20 "the cull brought the directory within MaxEntries"
              Expect.equal w.Cache.ApproximateCount files "and the count was corrected by the listing")

      testCase "overwriting a key in a full cache never culls" <| fun () ->
          withCache (Policy.defaults |> Policy.maxEntries 5) (fun w ->
              for i in 1..5 do w.Api |> Cache.set $"k{i}" i |> run
              for _ in 1..3 do w.Api |> Cache.set "k3" 33 |> run
              w.Api |> Cache.incr "k3" |> run |> ignore
              Expect.equal [ for i in 1..5 -> w.Api |> Cache.hasKey $"k{i}" |> run ] [ true; true; true; true; true ] "all five stay")

      testCase "clear removes orphan temporary files older than a minute, and keeps fresh ones and lock files" <| fun () ->
          withCache Policy.defaults (fun w ->
              w.Api |> Cache.set "foo" "bar" |> run
              (w.Api) |> Cache.incr "missing" |> run |> ignore // creates a lock file
              let old = Path.Combine(w.Dir, String('a', 64) + ".0123456789abcdef.fcache-tmp")
              let fresh = Path.Combine(w.Dir, String('b', 64) + ".0123456789abcdef.fcache-tmp")
              File.WriteAllText(old, "orphan")
              File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddMinutes -5.0)
              File.WriteAllText(fresh, "a writer is busy with this one")
              w.Api |> Cache.clear |> run
              Expect.isFalse (File.Exists old) "stale orphan swept"
              Expect.isTrue (File.Exists fresh) "fresh temporary file kept"
              Expect.isNonEmpty (Directory.GetFiles(w.Dir, "*.fcache-lock")) "lock files kept") ]

// ---------------------------------------------------------------- the URI

let private registration =
    [ testCase "file:///dir?max_entries=10000 builds a FileBasedCache over that directory" <| fun () ->
          withDirectory (fun root ->
              let cache = Caches.FromUri($"file://{root}/c?max_entries=10000&cull_frequency=4")
              match cache with
              | :? FileBasedCache as f ->
                  Expect.equal f.CacheDirectory (Path.Combine(root, "c")) "directory"
                  Expect.equal (f.Policy.MaxEntries, f.Policy.CullFrequency) (10000, 4) "policy"
                  cache |> Cache.set "k" "v" |> run
                  Expect.equal (cache |> Cache.tryGet<string> "k" |> run) (Some "v") "works"
              | other -> failtestf "got %s" (other.GetType().Name))

      testCase "file://c:/foo reads c:/foo as the location" <| fun () ->
          let f = Caches.FromUri("file://c:/foo") :?> FileBasedCache
          Expect.equal f.CacheDirectory (Path.GetFullPath "c:/foo") "the location, made absolute"

      testCase "file:// without a directory is an error that says what to write" <| fun () ->
          let e = throws<FormatException> (fun () -> Caches.FromUri("file://") |> ignore)
          Expect.stringContains e.Message "The file backend needs a directory, as in 'file:///var/tmp/cache'; the location is empty." "message"

      testCase "two instances over one directory share the entries" <| fun () ->
          withDirectory (fun root ->
              let a = Caches.FromUri($"file://{root}")
              let b = Caches.FromUri($"file://{root}")
              a |> Cache.set "k" "v" |> run
              Expect.equal (b |> Cache.tryGet<string> "k" |> run) (Some "v") "b sees a's write") ]

// ---------------------------------------------------------------- other processes

/// A value that says which key it was written for and can be checked whole: `key|n|` and n copies of one letter.
let private valueFor (key: string) (rnd: Random) =
    let n = rnd.Next(0, 6000)
    $"{key}|{n}|" + String(char (int 'a' + rnd.Next 26), n)

let private isValueFor (key: string) (value: string) =
    match value.Split('|') with
    | [| k; n; body |] ->
        k = key && string body.Length = n && (body.Length = 0 || body |> Seq.forall ((=) body[0]))
    | _ -> false

let private crashKeys = [ for i in 0..39 -> $"k{i}" ]

/// A small cache (MaxEntries 30 over 40 keys) so that culls happen while writers are killed.
let private crashPolicy = Policy.defaults |> Policy.maxEntries 30 |> Policy.expire Expire.never

/// One random operation; returns 1 for a successful increment of "counter".
let private mixedStep (cache: ICache) (rnd: Random) =
    let key = crashKeys[rnd.Next crashKeys.Length]
    match rnd.Next 10 with
    | 0 | 1 -> cache |> Cache.set key (valueFor key rnd) |> run; 0
    | 2 -> cache |> Cache.add key (valueFor key rnd) |> run |> ignore; 0
    | 3 | 4 ->
        match cache |> Cache.incr "counter" |> run with
        | Ok _ -> 1
        | Error _ -> 0
    | 5 -> cache |> Cache.delete key |> run |> ignore; 0
    | 6 -> cache |> Cache.touch Expire.never key |> run |> ignore; 0
    | 7 -> cache |> Cache.getMany<string> [ key; crashKeys[rnd.Next crashKeys.Length] ] |> run |> ignore; 0
    | 8 -> cache |> Cache.hasKey key |> run |> ignore; 0
    | _ -> cache |> Cache.tryGet<string> key |> run |> ignore; 0

/// The `file-writer` child role. `crash DIR`: write forever (until killed) after printing "ready".
/// `hammer DIR MS`: mixed operations on 2 threads for MS milliseconds, then print the number of
/// successful increments of "counter" (exit 1 with the exception on stderr if any escaped).
let fileWriterRole (args: string list) : int =
    match args with
    | [ "crash"; dir ] ->
        let cache = FileBasedCache(dir, crashPolicy, CacheContext.Default) :> ICache
        let rnd = Random()
        cache |> Cache.add "counter" 0L |> run |> ignore
        Console.Out.WriteLine "ready"
        Console.Out.Flush()
        while true do
            mixedStep cache rnd |> ignore
            if rnd.Next 50 = 0 then cache |> Cache.add "counter" 0L |> run |> ignore
        0
    | [ "hammer"; dir; ms ] ->
        let cache = FileBasedCache(dir, Policy.defaults |> Policy.maxEntries 100_000, CacheContext.Default) :> ICache
        let stop = Stopwatch.StartNew()
        let work seed =
            Task.Run(fun () ->
                let rnd = Random(seed: int)
                let mutable done' = 0
                while stop.ElapsedMilliseconds < int64 ms do done' <- done' + mixedStep cache rnd
                done')
        try
            let counts = Task.WhenAll([| work Environment.ProcessId; work (Environment.ProcessId + 1) |]) |> run
            Console.Out.WriteLine(string (Array.sum counts))
            0
        with e ->
            eprintfn "%O" e
            1
    | other -> eprintfn "file-writer: unknown arguments %A" other; 2

let private readLineWithin (p: Process) (timeout: TimeSpan) =
    let line = p.StandardOutput.ReadLineAsync()
    if line.Wait timeout then line.Result else null

let private processes =
    testSequenced <| testList "processes" [
        testCase "a writer killed with SIGKILL 20 times leaves every key a value written for it or a miss" <| fun () ->
            withDirectory (fun root ->
                let dir = Path.Combine(root, "cache")
                let rnd = Random(42)
                let clock = Stopwatch.StartNew()
                let mutable kills = 0
                while kills < 20 && clock.Elapsed < TimeSpan.FromSeconds 25.0 do
                    use p = Integration.Child.start "file-writer" [ "crash"; dir ]
                    let ready = readLineWithin p (TimeSpan.FromSeconds 10.0)
                    if ready <> "ready" then
                        p.Kill true
                        failtestf "the writer did not start: %s %s" ready (p.StandardError.ReadToEnd())
                    Thread.Sleep(rnd.Next(10, 120))
                    p.Kill true
                    p.WaitForExit()
                    kills <- kills + 1
                Expect.equal kills 20 "20 kills within the time bound"
                let cache = FileBasedCache(dir, crashPolicy, CacheContext.Default) :> ICache
                let present =
                    [ for key in crashKeys do
                          match cache |> Cache.tryGet<string> key |> run with
                          | Some v ->
                              Expect.isTrue (isValueFor key v) $"{key} holds a value written for it, not {v.Substring(0, min 60 v.Length)}"
                              yield key
                          | None -> () ]
                Expect.isNonEmpty present "the writers left entries behind"
                match cache |> Cache.tryGet<int64> "counter" |> run with
                | Some n -> Expect.isGreaterThanOrEqual n 0L "the counter is a count"
                | None -> ()
                for path in Directory.GetFiles(dir, "*.fcache") do
                    let name = Path.GetFileName path
                    Expect.isTrue (isEntryName name) $"{name} is an entry name")

        testCase "two processes and four threads hammering one directory lose no increment and raise no I/O exception" <| fun () ->
            withDirectory (fun root ->
                let dir = Path.Combine(root, "cache")
                let cache = FileBasedCache(dir, Policy.defaults |> Policy.maxEntries 100_000, CacheContext.Default) :> ICache
                cache |> Cache.set "counter" 0L |> run
                let children = [ for _ in 1..2 -> Integration.Child.start "file-writer" [ "hammer"; dir; "3000" ] ]
                let outputs = children |> List.map (fun p -> p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync())
                let started = Stopwatch.StartNew()
                let work seed =
                    Task.Run(fun () ->
                        let rnd = Random(seed: int)
                        let mutable done' = 0
                        while (started.ElapsedMilliseconds < 3000L || children |> List.exists (fun p -> not p.HasExited))
                              && started.ElapsedMilliseconds < 30_000L do
                            done' <- done' + mixedStep cache rnd
                        done')
                let mine = Task.WhenAll([| for s in 1..4 -> work s |]) |> run |> Array.sum
                let theirs =
                    [ for p, (out, err) in List.zip children outputs do
                          Expect.isTrue (p.WaitForExit 30_000) "the child finished"
                          Expect.equal p.ExitCode 0 $"the child raised nothing: {err.Result}"
                          yield int out.Result ]
                Expect.isGreaterThan mine 0 "this process incremented"
                for n in theirs do Expect.isGreaterThan n 0 "each child incremented"
                Expect.equal (cache |> Cache.tryGet<int64> "counter" |> run) (Some(int64 (mine + List.sum theirs))) "the counter equals the increments done") ]

[<Tests>]
let tests =
    testList "FileTests" [
        contractFor Subjects.file
        testList "section D" sectionD
        testList "damaged files" damaged
        testList "reading" reading
        vectors
        testList "security" security
        testList "culling" culling
        testList "uri" registration
        processes ]
