/// The values Django's contract round-trips through a cache: a record, a mutable class, a union, a record of F#
/// collections, and a value no JSON serializer can write. Public so a backend author's own tests can store the same
/// shapes (a serializer test, a value the default JSON serializer refuses).
module FunctionalCache.Laws.ContractValues

/// A record, stored as JSON.
type Person = { Name: string; Age: int; Tags: string list }

/// A mutable class, stored as JSON through its properties.
type Pet() =
    /// The pet's name.
    member val Name = "" with get, set
    /// How many legs it has.
    member val Legs = 0 with get, set

/// A union, which System.Text.Json alone refuses and the F# serializer writes.
type Shape =
    | Circle of radius: float
    | Rectangle of width: float * height: float
    | Dot

/// A record holding a union, lists, a map, a set and options: what an F# application caches.
type Drawing =
    { Title: string
      Main: Shape
      Layers: Shape list
      Tags: Set<string>
      Sizes: Map<string, int>
      Caption: string option
      Missing: int option }

/// A drawing that uses every field.
let drawing =
    { Title = "plan"
      Main = Rectangle(2.0, 3.5)
      Layers = [ Circle 1.5; Dot; Rectangle(0.5, 0.25) ]
      Tags = set [ "draft"; "a4" ]
      Sizes = Map [ "width", 210; "height", 297 ]
      Caption = Some "ground floor"
      Missing = None }

/// A value System.Text.Json cannot serialize once it refers to itself (`loop.Next <- loop`).
[<AllowNullLiteral>]
type Loop() =
    /// The next link: the loop itself makes the cycle.
    member val Next: Loop = null with get, set
