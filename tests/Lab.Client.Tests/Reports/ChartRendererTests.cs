using System.Buffers.Binary;
using Lab.Client.Analysis;
using Lab.Client.Reports;
using Lab.Testing;
using SP = ScottPlot;

namespace Lab.Client.Tests.Reports;

/// <summary>Charts as ScottPlot draws them, tested by what they contain: plottables, texts, markers, ids, size, font.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ChartRendererTests
{
    private static readonly PhaseBand[] s_bands = [new(0, "inject 200/s", 0, 10, false), new(1, "pause", 10, 15, true)];

    private static ChartSpec Threads() => new("threads", "Thread-pool threads", "time since load start (s)", "threads",
    [
        new Series("sync pool", [(0.5, 2), (1.5, 3), (2.5, double.NaN), (3.5, 12), (4.5, double.NaN), (5.5, 19.5)], Palette.Variant(0)),
        new Series("async pool", [(0.5, 2), (1.5, 3), (2.5, 3), (3.5, 3)], Palette.Secondary(Palette.Variant(1)), LineStyle.Dashed),
    ], s_bands, References: [new ReferenceLine(4, "min threads (4)", Palette.Offered)], Caption: "dotted: configured minimum")
    {
        DrainFromS = 10,
        EndS = 15,
    };

    private static ChartSpec Latency() => new("latency", "Latency p99 <per second> & more", "time since load start (s)", "ms (log scale)",
    [
        new Series("sync p99", [(0.5, 510), (1.5, 4200), (2.5, 30_000)], Palette.Variant(0)),
        new Series("async p99", [(0.5, 505), (1.5, 0), (2.5, 507)], Palette.Variant(1)),
        new Series("sync client timeouts", [(3.5, 8000), (4.5, 8000)], Palette.Variant(0)) { Kind = SeriesKind.Points, Marker = MarkerKind.Cross },
    ], s_bands, LogY: true, References: [new ReferenceLine(8000, "client timeout (8 s)", Palette.Timeouts)]);

    [Fact]
    public void The_plot_holds_the_phases_the_drain_the_series_and_the_references()
    {
        var plot = ChartRenderer.Build(Threads());
        var spans = plot.GetPlottables<SP.Plottables.HorizontalSpan>().Select(s => (s.X1, s.X2)).ToList();
        Assert.Equal([(0.0, 10.0), (10.0, 15.0)], spans); // the pause after the last arrival is the drain
        Assert.Single(plot.GetPlottables<SP.Plottables.VerticalLine>(), l => l.X == 10);
        Assert.Equal(["sync pool", "async pool"], plot.GetPlottables<SP.Plottables.Scatter>().Select(s => s.LegendText));
        Assert.Equal("min threads (4)", Assert.Single(plot.GetPlottables<SP.Plottables.HorizontalLine>()).LegendText);
        var limits = plot.Axes.GetLimits();
        Assert.Equal((0.0, 15.0), (limits.Left, limits.Right));
        Assert.Equal(0, limits.Bottom);
    }

    [Fact]
    public void A_point_between_two_gaps_gets_a_marker_of_its_own()
    {
        // sync pool has 4 finite points (a sparse line): markers on all of them, drawn by the line itself.
        var svg = new SvgContent(ChartRenderer.Svg(Threads()));
        Assert.Equal(4 + 1, svg.Circles(Palette.Variant(0))); // + the legend's sample

        // A dense line (50 points) with one point alone: one extra marker for it.
        var dense = Enumerable.Range(0, 50).Select(i => (X: i * 0.1, Y: i is 19 or 21 ? double.NaN : 5.0 + i)).ToList();
        var spec = Threads() with { Series = [new Series("dense", dense, "#123456")] };
        var markers = ChartRenderer.Build(spec).GetPlottables<SP.Plottables.Markers>().Single();
        Assert.Equal([(2.0, 25.0)], markers.Data.GetScatterPoints().Select(p => (Math.Round(p.X, 6), p.Y)));
        Assert.Equal(1, new SvgContent(ChartRenderer.Svg(spec)).Circles("#123456"));
    }

    [Fact]
    public void Timeouts_are_drawn_as_crosses_and_a_log_axis_has_decade_labels()
    {
        var svg = new SvgContent(ChartRenderer.Svg(Latency()));
        Assert.Equal(2 + 1, svg.Crosses(Palette.Variant(0)));
        Assert.Contains("100", svg.Texts);
        Assert.Contains("1000", svg.Texts);
        Assert.Contains("10000", svg.Texts);
        Assert.Contains("100000", svg.Texts);
        Assert.DoesNotContain(svg.Texts, t => t.EndsWith('k'));
        Assert.Contains("client timeout (8 s)", svg.Texts);
    }

    [Fact]
    public void Titles_axes_phases_legend_and_caption_are_text_in_the_svg()
    {
        var svg = new SvgContent(ChartRenderer.Svg(Threads()));
        foreach (var text in new[] { "Thread-pool threads", "time since load start (s)", "threads", "inject 200/s", "drain (after the last arrival)", "sync pool", "async pool", "min threads (4)", "dotted: configured minimum" })
        {
            Assert.Contains(text, svg.Texts);
        }

        Assert.Contains("Latency p99 <per second> & more", new SvgContent(ChartRenderer.Svg(Latency())).Texts);
    }

    [Fact]
    public void Charts_inlined_in_one_page_share_no_id_and_each_references_only_its_own()
    {
        var a = new SvgContent(ChartRenderer.Svg(Threads()));
        var b = new SvgContent(ChartRenderer.Svg(Latency()));
        Assert.NotEmpty(a.Ids);
        Assert.Empty(a.Ids.Intersect(b.Ids));
        Assert.All(a.References, r => Assert.Contains(r, a.Ids));
        Assert.All(b.References, r => Assert.Contains(r, b.Ids));
        Assert.All(a.Ids, id => Assert.StartsWith("threads-clip", id, StringComparison.Ordinal));
        Assert.Equal("chart", (string?)a.Root.Attribute("class"));
        Assert.Equal("0 0 960 400", (string?)a.Root.Attribute("viewBox"));
    }

    [Fact]
    public void ScottPlots_raw_svg_needs_the_isolation()
    {
        // The fact behind Isolate: ScottPlot numbers its clip paths the same way in every chart.
        var raw = ChartRenderer.RawSvg(Threads());
        Assert.Contains("id=\"cl_", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"cl_", ChartRenderer.Svg(Threads()), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\s[xy]=""[^""]*,\s*""", ChartRenderer.Svg(Threads()));
    }

    [Fact]
    public void Charts_have_a_fixed_size_and_a_named_font_and_render_the_same_twice()
    {
        var svg = ChartRenderer.Svg(Latency());
        Assert.Contains($"font-family=\"{ChartRenderer.FontName}, Verdana, sans-serif\"", svg, StringComparison.Ordinal);
        Assert.Equal(svg, ChartRenderer.Svg(Latency()));
        var png = ChartRenderer.Png(Latency());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal((960, 400), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        Assert.Equal(png, ChartRenderer.Png(Latency()));
    }

    [Fact]
    public void A_missing_font_file_is_said_with_the_package_to_install_and_none_when_all_are_there()
    {
        var notice = ChartRenderer.FontFallbackNotice(_ => false);
        Assert.NotNull(notice);
        Assert.Contains("fallback font", notice, StringComparison.Ordinal);
        Assert.Contains(ChartRenderer.FontFile, notice, StringComparison.Ordinal);
        Assert.Contains("fonts-dejavu-core", notice, StringComparison.Ordinal);
        Assert.Null(ChartRenderer.FontFallbackNotice(_ => true));
    }

    [SkippableFact]
    public void The_test_prerequisites_install_the_charts_font_and_the_charts_use_it()
    {
        Assert.Contains(Prerequisite.All, p => p.DebianPackage == ChartRenderer.FontPackage && p.Candidates.Contains(ChartRenderer.FontFile));
        Prerequisite.DejaVuFont.Require();
        Assert.Null(ChartRenderer.FontFallbackNotice(File.Exists));
        _ = ChartRenderer.Svg(Latency());
        // The face ScottPlot measures and draws the PNG's text with is the file's, not a fallback.
        Assert.Equal(ChartRenderer.FontName, SP.Fonts.GetTypeface(ChartRenderer.FontName, bold: false, italic: false).FamilyName);
    }

    [Fact]
    public void Dashed_and_dotted_lines_are_dashed_strokes_in_the_svg_and_so_are_their_legend_samples()
    {
        // Dense lines (no markers), no phases: the three series and their legend samples are the only coloured strokes.
        var xs = Enumerable.Range(0, 40).Select(i => i * 0.25).ToList();
        var spec = new ChartSpec("patterns", "Patterns", "time since load start (s)", "threads",
        [
            new Series("solid", [.. xs.Select(x => (x, 10.0))], "#1f77b4"),
            new Series("dashed", [.. xs.Select(x => (x, 20.0))], "#d62728", LineStyle.Dashed) { Width = 2.5 },
            new Series("dotted", [.. xs.Select(x => (x, 30.0))], "#2ca02c", LineStyle.Dotted) { Width = 1.4 },
        ], []);
        var svg = new SvgContent(ChartRenderer.Svg(spec));

        Assert.Equal(
            [("#1F77B4", null), ("#1F77B4", null), ("#2CA02C", "2 3"), ("#2CA02C", "2 3"), ("#D62728", "8 5"), ("#D62728", "8 5")],
            svg.Strokes.Where(s => s.Color.StartsWith('#') && s.Color != "#010101").Select(s => (s.Color, s.Dashes)).Order());
        Assert.Equal(["2.5", "2.5"], svg.Strokes.Where(s => s.Dashes == "8 5").Select(s => s.Width)); // the line's own width, not widened
        Assert.All(svg.Strokes, s => Assert.Equal("4", s.Miter)); // ScottPlot's miter limit, not the marks
    }

    [Fact]
    public void A_plot_drawn_outside_a_spec_gets_its_patterns_too_and_is_left_as_it_was()
    {
        // A sweep chart's pieces: the model dashed, the recommended cell dotted, both in one colour (two patterns, one colour).
        static SP.Plot Sweep()
        {
            var plot = ChartRenderer.NewPlot();
            var measured = plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 10, 20, 25 }, SP.Color.FromHex("#1f77b4"));
            measured.LegendText = "measured";
            var model = plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 12, 18, 30 }, SP.Color.FromHex("#d62728"));
            model.LinePattern = SP.LinePattern.Dashed;
            model.MarkerShape = SP.MarkerShape.OpenCircle;
            model.LegendText = "model";
            var best = plot.Add.VerticalLine(1, 1.5f, SP.Color.FromHex("#d62728"), SP.LinePattern.Dotted);
            best.LegendText = "recommended";
            plot.ShowLegend(SP.Edge.Right);
            return plot;
        }

        var plot = Sweep();
        var (text, png) = ChartRenderer.Render(plot, "sweep-test", "Sweep");
        var svg = new SvgContent(text);
        Assert.Equal([("#D62728", "10 10"), ("#D62728", "10 10"), ("#D62728", "3 5"), ("#D62728", "3 5")],
            svg.Strokes.Where(s => s.Dashes is not null).Select(s => (s.Color, s.Dashes)).Order());
        Assert.Equal(2, svg.Strokes.Count(s => s.Color == "#1F77B4"));

        // The model's markers stay solid circles; the plot keeps its patterns and colours, so its PNG is the one a fresh plot gives.
        Assert.Equal(3 + 1, svg.Strokes.Count(s => s.Color == "#D62728" && s.Element == "ellipse" && s.Dashes is null));
        var line = plot.GetPlottables<SP.Plottables.Scatter>().Last();
        Assert.Equal((SP.LinePattern.Dashed.Name, SP.Color.FromHex("#d62728")), (line.LinePattern.Name, line.LineColor));
        Assert.Equal(Sweep().GetImageBytes(ChartRenderer.Width, ChartRenderer.Height, SP.ImageFormat.Png), png);
        Assert.Equal(text, ChartRenderer.Render(Sweep(), "sweep-test", "Sweep").Svg);
    }

    [Fact]
    public void A_chart_with_nothing_to_show_says_so()
    {
        var empty = Threads() with { Series = [new Series("sync pool", [(0.5, double.NaN)], Palette.Variant(0))], References = [] };
        Assert.Contains("no data", new SvgContent(ChartRenderer.Svg(empty)).Texts);
    }

    [Fact]
    public void Percentiles_are_labelled_in_nines()
    {
        var spectrum = new ChartSpec("spectrum", "Spectrum", "percentile", "ms (log scale)", [new Series("sync", [(0, 500), (1, 510), (2, 600), (2.5, 700)], Palette.Variant(0))], [],
            LogY: true, XAxis: XAxisKind.Nines);
        var texts = new SvgContent(ChartRenderer.Svg(spectrum)).Texts;
        Assert.Contains("p0", texts);
        Assert.Contains("p99", texts);
        Assert.Contains("p99.9", texts);
    }

    [Fact]
    public void A_report_folder_gets_an_svg_and_a_png_of_every_chart_and_a_figure_for_each_in_report_html()
    {
        var folder = FixtureRun.Create();
        var report = ReportWriter.Write(folder);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        foreach (var c in ChartSet.For(report))
        {
            var svg = File.ReadAllText(Path.Combine(folder, c.Id + ".svg"));
            Assert.Contains(svg.Trim(), html, StringComparison.Ordinal); // inline, the same bytes as the file
            Assert.Contains($"<figure id=\"{c.Id}\">", html, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"{c.Id}.png\">PNG</a>", html, StringComparison.Ordinal);
            Assert.Equal(0x89, File.ReadAllBytes(Path.Combine(folder, c.Id + ".png"))[0]);
        }
    }

    [Fact]
    public void Compare_draws_its_overlaid_charts_with_scottplot_each_in_its_own_figure()
    {
        var folder = FixtureRun.Create();
        var comparison = new Comparison(RunReport.Build(folder), RunReport.Build(folder));
        var charts = comparison.Charts();
        var html = comparison.Html(charts.ToDictionary(c => c.Id, ChartRenderer.RawSvg)); // raw: Html isolates what is not
        foreach (var c in charts) Assert.Contains($"<figure id=\"{c.Id}\"><svg", html, StringComparison.Ordinal);
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var latency = new SvgContent(ChartRenderer.Svg(charts.Single(c => c.Id == "compare-latency")));
        Assert.Contains("slow A", latency.Texts);
        Assert.Contains("slow B", latency.Texts);
    }

    [Fact]
    public void Long_captions_and_legend_entries_wrap_instead_of_running_off_the_chart()
    {
        Assert.Equal("aaa bbb\nccc", ChartRenderer.Wrap("aaa bbb ccc", 7));
        Assert.Equal("one", ChartRenderer.Wrap("  one ", 7));
    }
}
