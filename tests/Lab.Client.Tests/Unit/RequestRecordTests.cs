using Lab.Testing;
using Lab.Client.Load;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class RequestRecordTests
{
    [Fact]
    public void Csv_round_trips_including_dropped_requests_and_commas_in_endpoints()
    {
        RequestRecord[] records =
        [
            new("sync", 1, 1, 42, "/sync?delayMs=500", 1000.5, 1001.25, 1600.125, 200, Outcome.Ok, 137),
            new("async", 2, 0, 7, "/pwg/parallel-async?calls=3,\"x\"", 10, null, null, 0, Outcome.Dropped, 0),
            new("leaky", 1, 2, 9, "/leaky", 5, 6, 30006, 0, Outcome.Timeout, 0),
        ];
        foreach (var r in records)
        {
            Assert.Equal(r, RequestRecord.FromCsv(r.ToCsv()));
        }

        Assert.Equal(11, RequestRecord.CsvHeader.Split(',').Length);
    }

    [Fact]
    public void Latency_is_from_the_intended_time_and_service_time_from_the_send()
    {
        var r = new RequestRecord("v", 1, 0, 1, "/", 100, 150, 700, 200, Outcome.Ok, 1);
        Assert.Equal((600.0, 550.0, 50.0), (r.LatencyMs!.Value, r.ServiceMs!.Value, r.LagMs!.Value));
    }
}
