/// Expiry maths: examples and the locmem column of the recorded Django timeouts
/// (reference/django-vectors/backend_timeouts.json, time pinned to 1700000000).
module Core.TimeoutTests

open System
open System.IO
open System.Text.Json
open Expecto
open FunctionalCache
open FunctionalCache.FSharp

let private now = DateTimeOffset.FromUnixTimeSeconds 1700000000L

type private TimeoutVector =
    { Index: int
      Configured: string
      PolicyDefault: CacheTimeout
      Argument: CacheTimeout
      ArgumentText: string
      /// Django's locmem expiry minus now, in seconds; None = never expires.
      LocMemExpiryMinusNow: float option }

let private text (e: JsonElement) =
    match e.ValueKind with
    | JsonValueKind.Null -> "None"
    | JsonValueKind.String -> $"'{e.GetString()}'"
    | _ -> e.GetRawText()

let private vectors =
    use doc = JsonDocument.Parse(File.ReadAllText(vectorFile "backend_timeouts.json"))
    [ for i, e in Seq.indexed (doc.RootElement.EnumerateArray()) ->
          // `default_timeout_resolved` is Django's TIMEOUT after its int() coercion ('abc' → 300, '30' → 30);
          // the coercion itself is the URI parser's business, so the policy starts from the resolved value.
          let resolved = e.GetProperty "default_timeout_resolved"
          let argument, argumentText =
              match e.TryGetProperty "timeout_arg" with
              | false, _ -> CacheTimeout.Default, "omitted"
              | true, a when a.ValueKind = JsonValueKind.Null -> CacheTimeout.Never, "None"
              | true, a when a.ValueKind = JsonValueKind.String && a.GetString() = "DEFAULT" -> CacheTimeout.Default, "DEFAULT"
              | true, a -> Expire.seconds (a.GetDouble()), a.GetRawText()
          let expected = e.GetProperty "locmem_expiry_minus_now"
          { Index = i
            Configured = text (e.GetProperty "configured_TIMEOUT")
            PolicyDefault = (if resolved.ValueKind = JsonValueKind.Null then CacheTimeout.Never else Expire.seconds (resolved.GetDouble()))
            Argument = argument
            ArgumentText = argumentText
            LocMemExpiryMinusNow = (if expected.ValueKind = JsonValueKind.Null then None else Some(expected.GetDouble())) } ]

let private ticks (seconds: float) = int64 (Math.Round(seconds * float TimeSpan.TicksPerSecond))

// The memcached_timeout column (wire values, absolute Unix times past 30 days) belongs to the
// memcached backend's conversion and is checked there, not by the pure expiry maths here.
let private conformance =
    testList "backend_timeouts.json (locmem column)" [
        for v in vectors ->
            let name = $"#{v.Index} TIMEOUT {v.Configured}, timeout {v.ArgumentText}"
            match v.LocMemExpiryMinusNow with
            | None ->
                testCase $"{name} → never expires" <| fun () ->
                    let expiry = Expiry.From(v.Argument, v.PolicyDefault, now) |> Option.ofLanguageExt
                    Expect.equal expiry (Some Expiry.Never) "Never"
            | Some seconds when seconds > 0.0 ->
                testCase $"{name} → now + {seconds} s" <| fun () ->
                    let expiry = Expiry.From(v.Argument, v.PolicyDefault, now) |> Option.ofLanguageExt |> Option.get
                    Expect.equal (expiry.UtcTicks - now.UtcTicks) (ticks seconds) "deadline"
            | Some seconds ->
                // Django stores an already-expired entry (now − 1 for 0, now + n for n < 0); we store
                // nothing at all (DESIGN.md: zero or negative means expired now, on every backend).
                testCase $"{name} → nothing stored (Django stores an entry expired at now {seconds} s)" <| fun () ->
                    Expect.equal (Expiry.From(v.Argument, v.PolicyDefault, now) |> Option.ofLanguageExt) None "not stored" ]

[<Tests>]
let tests =
    testList "TimeoutTests" [
        testCase "an entry is visible strictly before its deadline and gone from it on" <| fun () ->
            let expiry = Expiry.From(Expire.seconds 1.0, Policy.defaults.DefaultTimeout, now) |> Option.ofLanguageExt |> Option.get
            Expect.equal expiry.At (now.AddSeconds 1.0) "deadline"
            Expect.isFalse (expiry.IsExpiredAt(now.AddSeconds(1.0).AddTicks(-1L))) "one tick before"
            Expect.isTrue (expiry.IsExpiredAt(now.AddSeconds 1.0)) "at the deadline"
            Expect.isTrue (expiry.IsExpiredAt(now.AddSeconds(1.0).UtcTicks)) "the ticks overload agrees"

        testCase "Default takes the policy's timeout" <| fun () ->
            let expiry = Expiry.From(CacheTimeout.Default, Expire.seconds 300.0, now) |> Option.ofLanguageExt |> Option.get
            Expect.equal expiry.At (now.AddSeconds 300.0) "300 s"
            Expect.equal (Expiry.From(CacheTimeout.Default, CacheTimeout.Never, now) |> Option.ofLanguageExt) (Some Expiry.Never) "a Never policy"

        testCase "Never never expires" <| fun () ->
            let expiry = Expiry.From(CacheTimeout.Never, Expire.seconds 300.0, now) |> Option.ofLanguageExt |> Option.get
            Expect.isTrue expiry.IsNever "IsNever"
            Expect.isFalse (expiry.IsExpiredAt DateTimeOffset.MaxValue) "not even at the end of the calendar"
            Expect.equal (expiry.RemainingAt now |> Option.ofLanguageExt) None "no remaining time"
            Expect.equal (string expiry) "Never" "text"

        testCase "zero and negative timeouts give no expiry: nothing is stored" <| fun () ->
            for t in [ Expire.seconds 0.0; Expire.seconds -1.0; CacheTimeout.After(TimeSpan.FromTicks -1L) ] do
                Expect.equal (Expiry.From(t, Expire.seconds 300.0, now) |> Option.ofLanguageExt) None $"{t}"
            Expect.equal (Expiry.From(CacheTimeout.Default, Expire.seconds 0.0, now) |> Option.ofLanguageExt) None "a zero policy default"

        testCase "a span past the calendar saturates to the last tick, not Never" <| fun () ->
            let expiry = Expiry.From(CacheTimeout.After TimeSpan.MaxValue, Expire.seconds 300.0, now) |> Option.ofLanguageExt |> Option.get
            Expect.isFalse expiry.IsNever "not Never"
            Expect.equal expiry.At DateTimeOffset.MaxValue "the calendar's last tick, still a representable instant"
            Expect.isFalse (expiry.IsExpiredAt(now.AddYears 1000)) "alive for ages"

        testCase "remaining time counts down to zero" <| fun () ->
            let expiry = Expiry.From(Expire.seconds 10.0, Expire.seconds 300.0, now) |> Option.ofLanguageExt |> Option.get
            Expect.equal (expiry.RemainingAt(now.AddSeconds 4.0) |> Option.ofLanguageExt) (Some(TimeSpan.FromSeconds 6.0)) "6 s left"
            Expect.equal (expiry.RemainingAt(now.AddSeconds 40.0) |> Option.ofLanguageExt) (Some TimeSpan.Zero) "none left"

        testCase "a Default policy default is a caller mistake" <| fun () ->
            let e = Backends.BaseCacheTests.throws<ArgumentException> (fun () -> Expiry.From(Expire.seconds 1.0, CacheTimeout.Default, now) |> ignore)
            Expect.stringStarts e.Message "The policy default timeout must be Never or After(span), not Default." "message"

        testCase "timeouts in seconds keep fractions and refuse NaN and infinity" <| fun () ->
            Expect.equal (CacheTimeout.Seconds 1.5) (CacheTimeout.After(TimeSpan.FromMilliseconds 1500.0)) "1.5 s"
            Expect.equal (CacheTimeout.Seconds 300.0) (CacheTimeout.After(TimeSpan.FromSeconds 300.0)) "equality is by span"
            Expect.equal (Expire.seconds 2.5) (CacheTimeout.Seconds 2.5) "Expire.seconds is CacheTimeout.Seconds"
            for bad in [ nan; infinity; -infinity ] do
                Backends.BaseCacheTests.throws<ArgumentException> (fun () -> CacheTimeout.Seconds bad |> ignore) |> ignore

        testCase "seconds beyond TimeSpan's range saturate: a deadline at the calendar's end, or expired now" <| fun () ->
            for huge in [ 99999999999999.0; 1e300; Double.MaxValue; 922337203686.0 ] do
                Expect.equal (CacheTimeout.Seconds huge) (CacheTimeout.After TimeSpan.MaxValue) $"{huge} s"
                let deadline = Expiry.From(CacheTimeout.Seconds huge, CacheTimeout.Never, now) |> Option.ofLanguageExt
                Expect.equal (deadline |> Option.map (fun e -> e.At)) (Some DateTimeOffset.MaxValue) "saturates at the calendar's end"
            for tiny in [ -99999999999999.0; -1e300; Double.MinValue ] do
                Expect.equal (CacheTimeout.Seconds tiny) (CacheTimeout.After TimeSpan.MinValue) $"{tiny} s"
                Expect.isNone (Expiry.From(CacheTimeout.Seconds tiny, CacheTimeout.Never, now) |> Option.ofLanguageExt) "expired now: not stored"
            Expect.equal (CacheTimeout.Seconds 922337203685.0) (CacheTimeout.After(TimeSpan.FromSeconds 922337203685.0)) "just inside the range is kept"

        testProperty "any finite number of seconds gives a timeout, never an exception" <| fun (seconds: FsCheck.NormalFloat) ->
            CacheTimeout.Seconds(seconds.Get) |> ignore

        testProperty "any fcache --timeout text is a timeout or refused (a usage error), never an exception" <| fun (text: FsCheck.NonNull<string>) (seconds: float) ->
            FunctionalCache.Cli.TimeoutText.TryParse text.Get |> ignore
            let parsed = FunctionalCache.Cli.TimeoutText.TryParse(seconds.ToString("R", Globalization.CultureInfo.InvariantCulture))
            Expect.equal (isNull (box parsed)) (not (Double.IsFinite seconds)) "a number parses exactly when it is finite"

        testCase "the three cases fold with Match and say what they are" <| fun () ->
            let describe (t: CacheTimeout) = match t with PolicyDefault -> "default" | NeverExpire -> "never" | ExpireAfter s -> $"{s.TotalSeconds}"
            Expect.equal [ describe CacheTimeout.Default; describe CacheTimeout.Never; describe (Expire.seconds 2.5) ] [ "default"; "never"; "2.5" ] "Match"
            Expect.isTrue CacheTimeout.Default.IsDefault "IsDefault"
            Expect.isTrue CacheTimeout.Never.IsNever "IsNever"
            Expect.equal ((Expire.seconds 5.0).OrDefault CacheTimeout.Never) (Expire.seconds 5.0) "OrDefault keeps a span"
            Expect.equal (CacheTimeout.Default.OrDefault CacheTimeout.Never) CacheTimeout.Never "OrDefault replaces Default"

        conformance
    ]
