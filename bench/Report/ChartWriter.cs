using ScottPlot;
using ScottPlot.TickGenerators;

namespace Report;

/// <summary>
/// Draws one suite's figures in one unit as a grouped bar chart: cases along the X axis, one bar colour per series,
/// a legend, and the unit with its better direction on the Y axis.
/// </summary>
public static class ChartWriter
{
    /// <summary>The size every chart is drawn at, readable where GitHub shows an image at full width.</summary>
    public const int Width = 1000, Height = 500;

    // Figures that span more than this factor (Django's file set at 50k entries against a locmem get) would leave the
    // small bars invisible on a linear axis, so the chart switches to a log scale.
    private const double LogScaleSpread = 50;

    /// <summary>The chart's file name, e.g. <c>django-ops-per-s.png</c>.</summary>
    public static string FileName(string suite, string unit) => $"{suite}-{Units.Slug(unit)}.png";

    /// <summary>Draws <paramref name="suite"/>'s figures in <paramref name="unit"/> into the PNG at <paramref name="path"/>.</summary>
    public static void Write(ResultSet results, Suite suite, string unit, string path)
    {
        var cases = results.CasesOf(suite.Name, unit);
        var series = results.SeriesOf(suite.Name, unit);
        var figures = (from c in cases from s in series select results.Find(suite.Name, c, s, unit)?.Value)
            .OfType<double>().ToList();
        var log = figures.All(v => v > 0) && figures.Max() / figures.Min() > LogScaleSpread;
        // Bars of a log chart stand on the power of ten below the smallest figure, not on zero (log 0 is −∞).
        var floor = log ? Math.Floor(Math.Log10(figures.Min())) : 0;
        var top = log ? Math.Log10(figures.Max()) : Math.Max(figures.Max(), 0);
        var palette = new ScottPlot.Palettes.Category10();

        using var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        var groupWidth = 0.8;
        var barWidth = groupWidth / series.Count;
        var bars = new List<Bar>();
        for (var c = 0; c < cases.Count; c++)
            for (var s = 0; s < series.Count; s++)
            {
                if (results.Find(suite.Name, cases[c], series[s], unit)?.Value is not { } value) continue;
                bars.Add(new Bar
                {
                    Position = c - groupWidth / 2 + barWidth * (s + 0.5),
                    Value = log ? Math.Log10(value) : value,
                    ValueBase = floor,
                    Size = barWidth * 0.9,
                    FillColor = palette.GetColor(s),
                    LineWidth = 0,
                    // Exact figures on the bars while they fit; beyond that the table beside the chart has them.
                    Label = cases.Count * series.Count <= 24 ? NumberFormat.Compact(value) : "",
                });
            }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        barPlot.ValueLabelStyle.FontName = ChartFonts.Family;

        LabelCases(plot, cases);
        plot.Axes.Left.TickGenerator = log
            ? new NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new LogMinorTickGenerator(),
                LabelFormatter = y => NumberFormat.Compact(Math.Pow(10, y)),
            }
            : new NumericAutomatic { LabelFormatter = NumberFormat.Compact };
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Axes.SetLimitsX(-0.5, cases.Count - 0.5);
        // Headroom above the tallest bar for its label.
        plot.Axes.SetLimitsY(floor, log ? Math.Ceiling(top + 0.25) : top * 1.12 + (top == 0 ? 1 : 0));

        for (var s = 0; s < series.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s], FillColor = palette.GetColor(s) });
        plot.ShowLegend(Edge.Right);
        plot.Title($"{suite.Title} ({unit})");
        plot.YLabel($"{unit}{(log ? ", log scale" : "")} ({Units.Direction(unit)})");
        plot.SavePng(path, Width, Height);
    }

    // Case names go under their groups, broken after their commas ("get-or-set," over "2 threads") or between words
    // to fit the group's width. When that takes more than two lines, or one word is still too wide (14 Django cases),
    // they are written whole at a slant instead, ending under their group.
    private static void LabelCases(Plot plot, IReadOnlyList<string> cases)
    {
        // About 700 px of plot beside the legend, and about 7 px per character of a 12 px label.
        var maxChars = Math.Max(6, (int)(700.0 / cases.Count / 7));
        var wrapped = cases.Select(c => Wrap(c, maxChars)).ToList();
        var slant = wrapped.Any(w => w.Split('\n') is var lines && (lines.Length > 2 || lines.Any(l => l.Length > maxChars)));
        var positions = Enumerable.Range(0, cases.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(positions, slant ? cases.ToArray() : wrapped.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (!slant) return;
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        // The axis reserves room for the slanted text: its length times sin 30°, plus the label's own height.
        plot.Axes.Bottom.MinimumSize = (float)(cases.Max(c => c.Length) * 7 * 0.5 + 24);
    }

    private static string Wrap(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        var lines = new List<string>();
        var clauses = text.Split(", ");
        for (var c = 0; c < clauses.Length; c++)
        {
            var line = "";
            foreach (var word in (clauses[c] + (c < clauses.Length - 1 ? "," : "")).Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
                {
                    lines.Add(line);
                    line = word;
                }
                else line = line.Length == 0 ? word : line + " " + word;
            }
            lines.Add(line);
        }
        return string.Join("\n", lines);
    }
}
