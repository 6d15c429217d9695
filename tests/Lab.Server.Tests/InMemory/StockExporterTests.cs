using System.Net;
using Lab.Server.Telemetry.Metrics;
using Lab.Server.Tests.Metrics;
using Lab.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Lab.Server.Tests.InMemory;

/// <summary>
/// A stock OpenTelemetry setup (the runtime's meter, the Prometheus exporter, no Views) next to the lab's: the names
/// the README says a stock setup shows are the ones it shows, and the lab's Views are why promtool passes.
/// </summary>
[Trait(Tier.Trait, Tier.InMemory)]
public sealed class StockExporterTests
{
    private static async Task<string> ScrapeStockAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("System.Runtime").AddPrometheusExporter().Build();
        app.MapPrometheusScrapingEndpoint("/metrics", provider, configureBranchedPipeline: null, optionsName: null);
        await app.StartAsync();
        using var client = app.GetTestClient();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await app.StopAsync();
        return text;
    }

    [Fact]
    public async Task A_stock_setup_shows_the_runtime_names_the_readme_says_it_does()
    {
        var stock = Exposition.Parse(await ScrapeStockAsync());

        var rows = MetricNames.All.Where(m => m.StockDiffers).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, m => Assert.True(
            stock.Types.TryGetValue(m.StockName!, out var type) && type == (m.StockType ?? m.Type),
            $"a stock setup was expected to show {m.StockName} as a {m.StockType ?? m.Type} (for {m.Instrument}); it shows " +
            (stock.Types.TryGetValue(m.StockName!, out var t) ? t : "no such metric") +
            ". If the runtime fixed its instrument types, update MetricNames and RuntimeViews."));
    }

    [SkippableFact]
    public async Task Promtool_rejects_a_stock_setup_for_the_gauges_the_lab_renames()
    {
        var (exit, output) = await Promtool.CheckMetricsAsync(await ScrapeStockAsync());

        Assert.True(exit != 0, "promtool accepted the stock exposition: the renames in RuntimeViews may no longer be needed");
        Assert.All(RuntimeViews.Renamed.Keys, instrument => Assert.Contains(
            instrument.Replace('.', '_') + " non-histogram and non-summary metrics should not have \"_count\" suffix", output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_lab_shows_none_of_the_stock_names_it_replaces()
    {
        await using var app = new LabApp("backend");
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lab = Exposition.Parse(await response.Content.ReadAsStringAsync());

        Assert.All(MetricNames.All.Where(m => m.StockDiffers), m => Assert.DoesNotContain(m.StockName!, lab.Types.Keys));
        Assert.Equal("gauge", lab.Types["lab_thread_pool_threads"]);
        Assert.Equal("gauge", lab.Types["lab_thread_pool_queue_length"]);
        Assert.Equal("gauge", lab.Types["dotnet_process_cpus"]);
    }
}
