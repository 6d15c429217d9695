using Lab.Testing;
using System.Diagnostics;
using Lab.Client.Claims;
using Lab.Client.Commands;
using Lab.Client.Reports;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Reports;

/// <summary>report.html and claims.html rendered by a real browser: Debian's Chromium, headless, no sandbox, no network.</summary>
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

        var (exit, text, log) = await DumpDomAsync(chromiumPath, Path.Combine(folder, "report.html"));

        Assert.Equal(0, exit);
        Assert.Contains("</html>", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":CONSOLE(", log, StringComparison.Ordinal);
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

    [SkippableFact]
    public async Task The_claims_page_loads_in_a_headless_browser_with_every_thumbnail()
    {
        var chromiumPath = Lab.Testing.Prerequisite.Chromium.Require();
        // A suite folder as `suite` writes it: the run inside, claims.html beside it, two claims with a key chart each.
        var suite = Directory.CreateTempSubdirectory("lab-suite-").FullName;
        var run = Path.Combine(suite, "20270115T080000Z-fixture");
        Directory.Move(FixtureRun.Create(), run);
        var report = ReportWriter.Write(run);
        var scenario = new Scenario
        {
            Name = "fixture", Description = "", Claims = ["C1", "C2"], BackendKnobs = new Dictionary<string, string>(), ServerKnobs = new Dictionary<string, string>(),
            Variants = [], Client = new ClientOptions(), Checks = [], SourcePath = "fixture.yaml", SourceText = "",
            Evidence = new Dictionary<string, ClaimEvidence> { ["C1"] = new("slow p99 {slow.latency.p99} ms", "queues"), ["C2"] = new("slow threads {slow.threads.max}", "threads") },
        };
        var rows = ClaimsReport.Rows([(scenario, report)], suite);
        var html = ClaimsWriters.Html(rows, "Claims report — fixture", SuiteCommand.Describe(report.Run.Manifest.Machine));
        File.WriteAllText(Path.Combine(suite, "claims.html"), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var thumbnails = System.Text.RegularExpressions.Regex.Matches(html, "<img class=\"thumb\" src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["20270115T080000Z-fixture/queues.png", "20270115T080000Z-fixture/threads.png"], thumbnails);

        // The page as written, then a copy beside it (same folder, so the same relative links) with a script that
        // writes into the DOM whether each thumbnail loaded: decoded, with a width, from the file it names.
        var (exit, dom, log) = await DumpDomAsync(chromiumPath, Path.Combine(suite, "claims.html"));
        Assert.Equal(0, exit);
        Assert.Contains("</html>", dom, StringComparison.Ordinal);
        Assert.Contains("<dt>reproduced</dt>", dom, StringComparison.Ordinal);
        Assert.Contains(FixtureRun.FixtureCpu, dom, StringComparison.Ordinal);
        Assert.DoesNotContain(":CONSOLE(", log, StringComparison.Ordinal);

        const string Probe = """
            <script>
            function probe() {
              const thumbs = [...document.querySelectorAll('img.thumb')];
              if (!thumbs.every(i => i.complete)) { setTimeout(probe, 50); return; }
              document.body.setAttribute('data-thumbnails', thumbs.map(i => (i.naturalWidth > 0 ? 'loaded ' : 'broken ') + i.getAttribute('src')).join('; '));
            }
            window.addEventListener('load', probe);
            </script>
            """;
        File.WriteAllText(Path.Combine(suite, "claims-probe.html"), html.Replace("</body>", Probe + "</body>", StringComparison.Ordinal));
        (exit, dom, log) = await DumpDomAsync(chromiumPath, Path.Combine(suite, "claims-probe.html"), "--virtual-time-budget=10000", "--window-size=1400,4000");
        Assert.Equal(0, exit);
        var probed = System.Text.RegularExpressions.Regex.Match(dom, "data-thumbnails=\"([^\"]*)\"");
        Assert.True(probed.Success, $"the probe never saw every thumbnail complete:\n{log}");
        Assert.Equal(string.Join("; ", thumbnails.Select(t => "loaded " + t)), probed.Groups[1].Value);
        Assert.DoesNotContain(":CONSOLE(", log, StringComparison.Ordinal);
    }

    /// <summary>Opens <paramref name="page"/> in headless Chromium and returns its exit code, the DOM it printed and its log.</summary>
    private static async Task<(int Exit, string Dom, string Log)> DumpDomAsync(string chromiumPath, string page, params string[] extra)
    {
        var psi = new ProcessStartInfo(chromiumPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={Directory.CreateTempSubdirectory("lab-chromium-").FullName}", .. extra, "--dump-dom", "file://" + page,
        ];
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var chromium = Process.Start(psi)!;
        var dom = chromium.StandardOutput.ReadToEndAsync();
        var log = chromium.StandardError.ReadToEndAsync();
        await chromium.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (chromium.ExitCode, await dom, await log);
    }

    private static int CountOf(string text, string needle)
    {
        var n = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
