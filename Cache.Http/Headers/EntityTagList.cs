using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Http;

/// <summary>
/// The value of an <c>If-Match</c> or <c>If-None-Match</c> field: <see cref="Any"/> (<c>*</c>) or a list of
/// well-formed tags. An empty list is what an absent field, or one holding only malformed tags, gives.
/// </summary>
/// <remarks>Built by <see cref="EntityTag.ParseList"/>. Immutable and thread-safe.</remarks>
public sealed record EntityTagList
{
    private EntityTagList(bool isAny, Seq<EntityTag> tags)
    {
        IsAny = isAny;
        Tags = tags;
    }

    /// <summary><c>*</c>: any current representation.</summary>
    public static EntityTagList Any { get; } = new(true, Seq<EntityTag>());

    /// <summary>A list of the given tags (none: the field behaves as absent).</summary>
    public static EntityTagList Of(params EntityTag[] tags) => new(false, toSeq(tags.ToArray()));

    /// <summary>True for <c>*</c>.</summary>
    public bool IsAny { get; }

    /// <summary>The listed tags, in order; empty for <see cref="Any"/>.</summary>
    public Seq<EntityTag> Tags { get; }

    /// <summary>True when neither <c>*</c> nor any tag is present: RFC 9110 evaluates the field as absent.</summary>
    public bool IsEmpty => !IsAny && Tags.IsEmpty;

    /// <summary>If-Match's test: <c>*</c>, or a listed tag equal to <paramref name="current"/> by strong comparison.</summary>
    public bool MatchesStrong(EntityTag current) => IsAny || Tags.Exists(current.StrongEquals);

    /// <summary>If-None-Match's test: <c>*</c>, or a listed tag equal to <paramref name="current"/> by weak comparison.</summary>
    public bool MatchesWeak(EntityTag current) => IsAny || Tags.Exists(current.WeakEquals);

    /// <summary>The field text: <c>*</c> or the tags joined with <c>", "</c>.</summary>
    public override string ToString() => IsAny ? "*" : string.Join(", ", Tags.Map(t => t.ToString()));
}
