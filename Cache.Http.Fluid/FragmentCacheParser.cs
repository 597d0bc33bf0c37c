using System.Globalization;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Ast;
using Fluid.Values;
using Parlot.Fluent;
using static Parlot.Fluent.Parsers;

namespace FunctionalCache.Http.Fragments;

/// <summary>
/// A Fluid (Liquid) parser with Django's fragment cache tag:
/// <c>{% cache 500 "sidebar" user.name %}…{% endcache %}</c> renders the block once and then serves the stored text,
/// per fragment name and vary values, from <see cref="Cache"/>.
/// </summary>
/// <remarks>
/// <para>Arguments: the timeout in seconds (a number, a variable or a filter expression, resolved at render time; a
/// numeric string such as <c>"2"</c> is accepted, as Python's <c>int()</c> does), then the fragment name (a quoted
/// string or a bare identifier, never resolved), then any number of vary values (variables or literals, rendered as
/// text). A tag without a timeout or a name is a parse error; a timeout that is missing, nil or not a number is a
/// <see cref="FragmentCacheTagException"/> at render time. A zero or negative timeout renders and stores nothing.</para>
/// <para>Django's <c>{% cache %}</c> (<c>django.templatetags.cache</c>) minus <c>using="alias"</c> (construct one parser
/// per cache instead) and minus <c>None</c> meaning "forever" (Liquid cannot tell nil from a missing variable).</para>
/// <para>A cache that fails never fails the page: the block is rendered and written uncached, and the failure goes to
/// the action given to the constructor (the application's log and counters; see <see cref="FragmentCache"/>).</para>
/// <para>Thread-safe once constructed, like every <see cref="FluidParser"/>.</para>
/// </remarks>
public sealed class FragmentCacheParser : FluidParser
{
    /// <summary>A parser whose <c>cache</c> tag keeps fragments in <paramref name="cache"/>.</summary>
    /// <param name="cache">Where fragments are kept.</param>
    /// <exception cref="ArgumentNullException">The cache is null.</exception>
    public FragmentCacheParser(ICache cache) : this(cache, new FluidParserOptions())
    {
    }

    /// <summary>As <see cref="FragmentCacheParser(ICache)"/>, with Fluid's parser options.</summary>
    /// <param name="cache">Where fragments are kept.</param>
    /// <param name="options">Fluid's parser options.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public FragmentCacheParser(ICache cache, FluidParserOptions options) : this(cache, options, static _ => { })
    {
    }

    /// <summary>
    /// As <see cref="FragmentCacheParser(ICache, FluidParserOptions)"/>, telling <paramref name="onCacheFailure"/> of every
    /// cache failure (a <see cref="CacheBackendException"/> or <see cref="CacheSerializationException"/>); the block is
    /// then rendered uncached.
    /// </summary>
    /// <param name="cache">Where fragments are kept.</param>
    /// <param name="options">Fluid's parser options.</param>
    /// <param name="onCacheFailure">Logs and counts a failure; called once per failed fragment render, on the rendering thread.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public FragmentCacheParser(ICache cache, FluidParserOptions options, Action<Exception> onCacheFailure) : base(Guard.NotNull(options, nameof(options)))
    {
        Cache = Guard.NotNull(cache, nameof(cache));
        _onCacheFailure = Guard.NotNull(onCacheFailure, nameof(onCacheFailure));
        var name = String.Then(static s => s.ToString()).Or(Identifier)
            .ElseError("The cache tag needs a fragment name after the timeout, as in {% cache 500 \"sidebar\" %}");
        // Checked before the timeout so that an empty tag names both missing arguments, not Fluid's generic "value expected".
        var timeout = Not(TagEnd).ElseError("The cache tag needs a timeout and a fragment name, as in {% cache 500 \"sidebar\" %}")
            .SkipAnd(FilterExpression);
        var arguments = timeout
            .And(name)
            .And(ZeroOrMany(Primary));
        RegisterParserBlock("cache", arguments, RenderAsync);
    }

    private readonly Action<Exception> _onCacheFailure;

    /// <summary>Where the tag keeps fragments.</summary>
    public ICache Cache { get; }

    private async ValueTask<Completion> RenderAsync(
        ValueTuple<Expression, string, IReadOnlyList<Expression>> arguments,
        IReadOnlyList<Statement> statements,
        TextWriter writer,
        TextEncoder encoder,
        TemplateContext context)
    {
        var (timeoutExpression, fragmentName, varyExpressions) = arguments;
        var timeout = TimeoutOf(await timeoutExpression.EvaluateAsync(context).ConfigureAwait(false), fragmentName);
        var varyOn = new List<string>(varyExpressions.Count);
        foreach (var expression in varyExpressions)
            varyOn.Add((await expression.EvaluateAsync(context).ConfigureAwait(false)).ToStringValue());
        var text = await FragmentCache.GetOrRenderReportingAsync(Cache, fragmentName, varyOn, timeout, async _ =>
        {
            using var buffer = new StringWriter(CultureInfo.InvariantCulture);
            foreach (var statement in statements)
                await statement.WriteToAsync(buffer, encoder, context).ConfigureAwait(false);
            return buffer.ToString();
        }, _onCacheFailure).ConfigureAwait(false);
        await writer.WriteAsync(text).ConfigureAwait(false);
        return Completion.Normal;
    }

    /// <summary>Django's rule: the timeout must resolve to an integer (or a numeric string).</summary>
    private static CacheTimeout TimeoutOf(FluidValue value, string fragmentName)
    {
        if (value.Type == FluidValues.Number) return CacheTimeout.Seconds((double)value.ToNumberValue());
        if (value.Type == FluidValues.String
            && decimal.TryParse(value.ToStringValue().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return CacheTimeout.Seconds((double)seconds);
        var shown = value.Type == FluidValues.Nil ? "nothing (a missing or nil variable)" : $"'{value.ToStringValue()}'";
        throw new FragmentCacheTagException(
            $"The cache tag for fragment '{fragmentName}' needs a timeout in seconds, but it resolved to {shown}.");
    }
}
