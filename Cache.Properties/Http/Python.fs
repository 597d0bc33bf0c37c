/// What Django's Python does to header text, for the HTTP models that transcribe Django's rules.
module Http.Python

open System

/// The characters Python's str.strip() removes: .NET's white space plus U+001C–U+001F (Python's own separators).
let blanks = [| for c in '\u0000' .. '\uffff' do if Char.IsWhiteSpace c || (c >= '\u001c' && c <= '\u001f') then c |]

/// Python's str.strip().
let strip (s: string) = s.Trim blanks
