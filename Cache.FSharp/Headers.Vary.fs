namespace FunctionalCache.FSharp

open FunctionalCache.Http

/// The Vary field as pipeable functions: `head |> Vary.patch [ "Cookie" ]`, `Vary.has "Cookie" head`.
/// Django's `patch_vary_headers` and `has_vary_header`: names compare ignoring case, existing entries keep their order
/// and spelling, new names follow in order, and a `*` entry makes the value `*`. `Vary.Field` works on the field's text
/// (`None` when absent). None throws on any header text.
[<RequireQualifiedAccess>]
module Vary =

    /// A Vary field value as text: `None` when the field is absent.
    [<RequireQualifiedAccess>]
    module Field =

        /// The value with `names` added (Django's `patch_vary_headers` on the text): a name already listed in any case
        /// is not added again; new names are compared with the existing entries only, not with each other. An absent
        /// field patched with nothing is `""`.
        let patch (names: string list) (value: string option) : string =
            FunctionalCache.Http.Vary.PatchVaryHeaders(Interop.orNull value, names)

        /// True when the value lists `name`, ignoring case and the blanks around entries (Django's `has_vary_header`
        /// with the CVE-2026-48587 fix); false for an absent field. `*` is only found by asking for `*`.
        let has (name: string) (value: string option) : bool =
            FunctionalCache.Http.Vary.HasVaryHeader(Interop.orNull value, name)

        /// The entries, split as Django splits them and kept verbatim; none for an absent or empty value.
        let entries (value: string option) : string list =
            List.ofSeq (FunctionalCache.Http.Vary.Parse(Interop.orNull value))

    /// The response with `names` added to its Vary field (Django's `patch_vary_headers`); the field is created when absent.
    let patch (names: string list) (head: ResponseHead) : ResponseHead =
        FunctionalCache.Http.Vary.PatchVaryHeaders(head, names)

    /// True when the response's Vary field lists `name` (Django's `has_vary_header`); false when it has no Vary field.
    let has (name: string) (head: ResponseHead) : bool = FunctionalCache.Http.Vary.HasVaryHeader(head, name)

    /// The entries of the response's Vary field, verbatim; none when it has no Vary field.
    let entries (head: ResponseHead) : string list = Field.entries (ResponseHead.header "Vary" head)
