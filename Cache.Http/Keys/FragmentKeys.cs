namespace FunctionalCache.Http;

/// <summary>Cache keys for template fragments (<c>{% cache 500 "sidebar" user.name %}</c>).</summary>
/// <remarks>Thread-safe: pure.</remarks>
public static class FragmentKeys
{
    /// <summary>
    /// <c>template.cache.&lt;fragmentName&gt;.&lt;md5&gt;</c>, where the MD5 is over each vary value framed as a netstring
    /// <c>&lt;UTF-8 length&gt;:&lt;UTF-8 bytes&gt;,</c>.
    /// </summary>
    /// <param name="fragmentName">The fragment's name, kept verbatim in the key.</param>
    /// <param name="varyOn">The values the fragment varies on, already as text, in order; empty for none.</param>
    /// <returns>The key; with no values the digest is <c>d41d8cd98f00b204e9800998ecf8427e</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument or one of the values is null.</exception>
    /// <remarks>
    /// Deliberate difference from Django 3.1–6.0's <c>make_template_fragment_key</c>, which feeds each value followed by
    /// <c>:</c>, so <c>["a:b"]</c> and <c>["a", "b"]</c> collide. Length framing is upstream main's rule from June 2026
    /// (PR #21516, the vectors' <c>netstring_variant_6_1</c>). Callers turn values into text (Django uses <c>str()</c>).
    /// </remarks>
    public static string MakeTemplateFragmentKey(string fragmentName, IEnumerable<string> varyOn)
    {
        Guard.NotNull(fragmentName, nameof(fragmentName));
        Guard.NotNull(varyOn, nameof(varyOn));
        var buffer = new PooledBytes(256);
        try
        {
            foreach (var value in varyOn)
            {
                Guard.NotNull(value, nameof(varyOn));
                buffer.WriteNetstring(value);
            }
            return "template.cache." + fragmentName + "." + Md5Text.Of(buffer.Written);
        }
        finally
        {
            buffer.Return();
        }
    }
}
