using Lab.Client.Load;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Engine;

/// <summary>Runs the engine once against a URL, through the HttpClient a run uses, and returns every record it wrote to its CSV.</summary>
public static class EngineRun
{
    public static async Task<IReadOnlyList<RequestRecord>> RunAsync(Uri server, string endpoint, LoadProfile load, ClientOptions? options = null)
    {
        options ??= new ClientOptions { DrainS = 10 };
        var csv = Path.Combine(Path.GetTempPath(), $"lab-engine-{Guid.NewGuid():N}.csv");
        try
        {
            using (var recorder = new RequestRecorder(csv))
            using (var http = LoadHttpClient.Create(options))
            {
                var variant = new Variant
                {
                    Name = "v",
                    Endpoints = [new EndpointShare(endpoint, 1)],
                    ServerKnobs = new Dictionary<string, string>(),
                    Environment = new Dictionary<string, string>(),
                    Load = load,
                };
                using var engine = new LoadEngine(http, server, variant, options, recorder);
                await engine.RunAsync(CancellationToken.None);
            }

            return File.ReadLines(csv).Skip(1).Select(RequestRecord.FromCsv).ToList();
        }
        finally
        {
            File.Delete(csv);
        }
    }

    public static double P(IEnumerable<double> values, double p) => Lab.Client.Analysis.Stats.Percentile([.. values.Order()], p);
}
