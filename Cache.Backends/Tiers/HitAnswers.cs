using System.Runtime.CompilerServices;
using LanguageExt;

namespace FunctionalCache.Backends.Tiers;

/// <summary>
/// The completed answer to an L1 hit, made once per value object and handed out again while the L1 returns that same
/// object, so that a hit on an L1 that holds references (locmem with <c>store=reference</c>), or one of a value the
/// copy store holds as it is (a string, a sealed <c>[ImmutableObject(true)]</c> class), allocates nothing.
/// </summary>
/// <remarks>
/// Keyed by the value's identity, never by the key: an answer is reused only for the very object the L1 has just
/// returned, so it can never answer a value the L1 no longer holds. An answer lives as long as its value (a weak table),
/// so a dropped L1 entry takes its answer with it. Values of value types, and null, are answered with a new task (they
/// have no identity to key on). Thread-safe.
/// </remarks>
internal sealed class HitAnswers
{
    private readonly ConditionalWeakTable<object, object> _answers = new();
    private readonly bool _immutableOnly;

    /// <summary>Answers for an L1 that hands out the instances it holds: every one, or (<paramref name="immutableOnly"/>) only those of immutable types.</summary>
    /// <param name="immutableOnly">
    /// True for locmem's copy store, which holds only immutable values as they are and hands out a fresh copy of any
    /// other: remembering answers to fresh copies would fill the table with one answer per hit.
    /// </param>
    public HitAnswers(bool immutableOnly) => _immutableOnly = immutableOnly;

    /// <summary>A completed task holding <paramref name="hit"/>, the same one as last time for the same value object.</summary>
    public Task<OptionUnsafe<T>> For<T>(OptionUnsafe<T> hit)
    {
        if (typeof(T).IsValueType || (_immutableOnly && !LocMem.ImmutableType<T>.Is)) return Task.FromResult(hit);
        var value = hit.IfNoneUnsafe(default(T)!);
        if (value is null) return Task.FromResult(hit);
        object identity = value;
        // Another T for the same object (read once as string, once as object) gets its own task, which replaces the
        // remembered one; both are correct answers.
        if (_answers.TryGetValue(identity, out var known) && known is Task<OptionUnsafe<T>> answer) return answer;
        var made = Task.FromResult(hit);
        _answers.AddOrUpdate(identity, made);
        return made;
    }
}
