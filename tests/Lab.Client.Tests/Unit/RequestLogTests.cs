using Lab.Client.Analysis;
using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class RequestLogTests
{
    [Fact]
    public void Requests_a_killed_client_had_in_flight_come_back_from_the_journal_as_aborted()
    {
        var folder = Directory.CreateTempSubdirectory("lab-log-").FullName;
        // Three sends journaled; only the first ended before the client was killed.
        File.WriteAllLines(Path.Combine(folder, RequestLog.InFlightFileName),
        [
            RequestLog.InFlightHeader,
            "sync,1,0,1,/sync?delayMs=500,0,0.2",
            "sync,1,0,2,/sync?delayMs=500,5,5.1",
            "sync,1,0,3,/sync?delayMs=500,10,10.3",
        ]);
        File.WriteAllLines(Path.Combine(folder, RequestLog.FileName),
        [
            RequestRecord.CsvHeader,
            new RequestRecord("sync", 1, 0, 1, "/sync?delayMs=500", 0, 0.2, 500, 200, Outcome.Ok, 10).ToCsv(),
            "sync,1,0,4,/sync?delayMs=500,15,15.1,", // a line cut short by the kill
        ]);

        var records = RequestLog.Read(folder).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(Outcome.Ok, records[0].Outcome);
        Assert.Equal([2L, 3L], records.Where(r => r.Outcome == Outcome.Aborted).Select(r => r.Seq));
        Assert.All(records.Where(r => r.Outcome == Outcome.Aborted), r => Assert.NotNull(r.SendMs));
        Assert.Single(RequestLog.Read(folder, "sync", 1), r => r.Seq == 3);
        Assert.Empty(RequestLog.Read(folder, "async"));
    }

    [Fact]
    public void A_run_whose_client_is_gone_is_incomplete_and_says_why()
    {
        var folder = Reports.FixtureRun.Create();
        // Recorded as still running, by a client whose PID and start time match no live process.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run.json")))!;
        json["status"] = "running";
        json["complete"] = false;
        json["client"] = new System.Text.Json.Nodes.JsonObject { ["processId"] = int.MaxValue - 1, ["startTicks"] = 1, ["hostName"] = Environment.MachineName };
        File.WriteAllText(Path.Combine(folder, "run.json"), json.ToJsonString());

        var run = RunData.Load(folder);
        Assert.Equal("incomplete", run.Status);
        Assert.False(run.Complete);
        Assert.Contains(run.Reasons, r => r.Contains("is gone (killed or crashed)", StringComparison.Ordinal));

        // The first report records it in run.json itself, so every later reader agrees.
        Assert.Equal(Lab.Client.Commands.ExitCodes.RunFailed, Lab.Client.Commands.ReportCommand.Run([folder], TextWriter.Null));
        var saved = Lab.Client.Recording.RunManifest.Read(folder);
        Assert.Equal(("incomplete", false), (saved.Status, saved.Complete));
        Assert.Single(saved.Reasons, r => r.Contains("is gone (killed or crashed)", StringComparison.Ordinal));
        Lab.Client.Commands.ReportCommand.Run([folder], TextWriter.Null);
        Assert.Single(Lab.Client.Recording.RunManifest.Read(folder).Reasons, r => r.Contains("is gone", StringComparison.Ordinal));
    }
}
