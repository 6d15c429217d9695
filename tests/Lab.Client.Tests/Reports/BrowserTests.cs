using Lab.Testing;
using System.Diagnostics;
using Lab.Client.Reports;

namespace Lab.Client.Tests.Reports;

/// <summary>report.html rendered by a real browser: Debian's Chromium, headless, no sandbox, no network.</summary>
[Trait(Tier.Trait, Tier.Processes)]
[Collection(RealProcessCollection.Name)]
public sealed class BrowserTests
{
    [SkippableFact]
    public async Task The_report_loads_in_a_headless_browser_with_every_chart()
    {
        var chromiumPath = Lab.Testing.Prerequisite.Chromium.Require();
        var folder = FixtureRun.Create();
        var report = ReportWriter.Write(folder);
        var charts = ChartSet.For(report);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));

        // Self-contained: nothing to fetch, nothing to run (the charts are inline SVG; the PNGs beside them are links only).
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);

        var psi = new ProcessStartInfo(chromiumPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={Directory.CreateTempSubdirectory("lab-chromium-").FullName}", "--dump-dom", "file://" + Path.Combine(folder, "report.html"),
        })
        {
            psi.ArgumentList.Add(a);
        }

        using var chromium = Process.Start(psi)!;
        var dom = chromium.StandardOutput.ReadToEndAsync();
        var log = chromium.StandardError.ReadToEndAsync();
        await chromium.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, chromium.ExitCode);
        var text = await dom;
        Assert.Contains("</html>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":CONSOLE(", await log, StringComparison.Ordinal);
        foreach (var c in charts)
        {
            // A figure per chart that claims.html can link (report.html#queues), with the chart inline and its PNG beside the page.
            Assert.Contains($"<figure id=\"{c.Id}\">", text, StringComparison.Ordinal);
            Assert.Contains($"data-chart=\"{c.Id}\"", text, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, c.Id + ".png")), $"{c.Id}.png");
        }

        Assert.Equal(charts.Count, CountOf(text, "class=\"chart\""));

        // Inline charts share no id: ScottPlot's clip paths (cl_4…) would otherwise clip one chart to another's frame.
        var ids = System.Text.RegularExpressions.Regex.Matches(text, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("drain (after the last arrival)", text, StringComparison.Ordinal);
        Assert.Contains("class=\"grid verdicts\"", text, StringComparison.Ordinal);
        Assert.Contains("Client-limited (fast)", text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string needle)
    {
        var n = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
