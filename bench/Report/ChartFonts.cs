using SkiaSharp;

namespace Report;

/// <summary>
/// The font the charts use. SkiaSharp draws text with the system's fonts; on a machine without any, every label
/// would silently come out blank, so the report refuses to draw instead.
/// </summary>
public static class ChartFonts
{
    private const string Preferred = "DejaVu Sans";

    /// <summary>DejaVu Sans when installed (Debian's usual font), else the first family the system has.</summary>
    public static string Family => Chosen.Value;

    // Lazy rather than a static initializer, so that a missing font surfaces as its own exception, not a type-load one.
    private static readonly Lazy<string> Chosen = new(Choose);

    private static string Choose()
    {
        var families = SKFontManager.Default.FontFamilies.ToList();
        if (families.Count == 0)
            throw new InvalidOperationException(
                "No fonts are installed, so the charts would have no text. Install some: apt-get install -y fontconfig fonts-dejavu-core");
        return families.Contains(Preferred) ? Preferred : families[0];
    }
}
