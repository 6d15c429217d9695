using Lab.Client.Recording.Diagnostics;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class StackGroupingTests
{
    private static readonly string[] s_blocked =
    [
        "System.Threading.Monitor.Wait", "System.Threading.ManualResetEventSlim.Wait", "System.Threading.Tasks.Task.SpinThenBlockingWait",
        "System.Runtime.CompilerServices.TaskAwaiter.GetResult", "Lab.Server.Server.ServerEndpoints.SyncOverAsync", "Microsoft.AspNetCore.Http.RequestDelegateFactory.ExecuteTask",
    ];

    private static readonly string[] s_idle = ["System.Threading.LowLevelLifoSemaphore.WaitForSignal", "System.Threading.PortableThreadPool.WorkerThread.WorkerThreadStart"];

    [Fact]
    public void Identical_stacks_group_together_largest_first_with_a_headline_naming_the_blocking_call_and_the_endpoint()
    {
        var threads = Enumerable.Repeat(new ThreadFrames(s_blocked, 4), 5)
            .Concat(Enumerable.Repeat(new ThreadFrames(s_idle, -1), 2))
            .Append(new ThreadFrames([], -1));

        var (groups, other) = StackGrouping.Group(threads);

        Assert.Equal([5, 2, 1], groups.Select(g => g.Count));
        Assert.Equal(0, other);
        Assert.Equal("Monitor.Wait ← TaskAwaiter.GetResult ← ServerEndpoints.SyncOverAsync", groups[0].Headline);
        Assert.Equal(4, groups[0].FirstUserFrame);
        Assert.Equal("LowLevelLifoSemaphore.WaitForSignal ← WorkerThread.WorkerThreadStart", groups[1].Headline);
        Assert.Equal(StackGrouping.NoManagedFrames, groups[2].Headline);
    }

    [Fact]
    public void Groups_beyond_the_bound_are_counted_not_listed_and_headlines_add_up_stacks_that_differ_below_the_application()
    {
        var deeperA = new ThreadFrames([.. s_blocked, "Kestrel.Http1Connection.ProcessRequestsAsync"], 4);
        var deeperB = new ThreadFrames([.. s_blocked, "Kestrel.HttpProtocol.ProcessRequests"], 4);
        var singles = Enumerable.Range(0, 5).Select(i => new ThreadFrames([$"Other.Thread{i}.Run"], -1));
        var (groups, other) = StackGrouping.Group([deeperA, deeperA, deeperA, deeperB, deeperB, .. singles], maxGroups: 4);

        Assert.Equal(4, groups.Count);
        Assert.Equal(3, other);
        var headlines = StackGrouping.ByHeadline(groups, other);
        Assert.Equal(("Monitor.Wait ← TaskAwaiter.GetResult ← ServerEndpoints.SyncOverAsync", 5), (headlines[0].Headline, headlines[0].Count));
        Assert.Equal(10, headlines.Sum(h => h.Count));
        Assert.Contains(headlines, h => h.Headline == StackGrouping.OtherStacks && h.Count == 3);
    }

    [Fact]
    public void The_headline_says_what_a_blocked_call_waits_for_a_socket_read_or_a_new_connection()
    {
        string[] read =
        [
            "System.Threading.Monitor.Wait", "System.Threading.ManualResetEventSlim.Wait", "System.Net.Sockets.SocketAsyncContext.PerformSyncOperation",
            "System.Net.Sockets.Socket.Receive", "System.Net.Http.HttpClient.Send", "Lab.Server.Server.BackendClient.CallSync",
        ];
        string[] connect =
        [
            "System.Threading.Monitor.Wait", "System.Threading.Tasks.Task.InternalWait", "System.Runtime.CompilerServices.TaskAwaiter.GetResult",
            "System.Threading.Tasks.TaskCompletionSourceWithCancellation.WaitWithCancellation", "System.Net.Http.HttpConnectionWaiter.WaitForConnectionWithTelemetryAsync",
            "System.Net.Http.HttpClient.Send", "Lab.Server.Server.BackendClient.CallSync",
        ];
        Assert.Equal("Monitor.Wait ← SocketAsyncContext.PerformSyncOperation ← HttpClient.Send ← BackendClient.CallSync", StackGrouping.Headline(new ThreadFrames(read, 5)));
        Assert.Equal("Monitor.Wait ← HttpConnectionWaiter.WaitForConnectionWithTelemetryAsync ← HttpClient.Send ← BackendClient.CallSync", StackGrouping.Headline(new ThreadFrames(connect, 6)));
    }

    [Fact]
    public void Deep_stacks_are_cut_at_the_frame_bound()
    {
        var deep = Enumerable.Range(0, StackGrouping.MaxFrames + 20).Select(i => $"N.T.M{i}").ToList();
        var (groups, _) = StackGrouping.Group([new ThreadFrames(deep, -1)]);
        Assert.Equal(StackGrouping.MaxFrames, groups[0].Frames.Count);
    }

    [Theory]
    [InlineData("System.Threading.Monitor", "<Wait>g____PInvoke|24_0", "System.Threading.Monitor.Wait")]
    [InlineData("System.Runtime.CompilerServices.TaskAwaiter<System.__Canon>", "GetResult", "System.Runtime.CompilerServices.TaskAwaiter.GetResult")]
    [InlineData("Lab.Server.Server.ServerEndpoints+<>c__DisplayClass5_0", "<SyncOverAsync>b__0", "Lab.Server.Server.ServerEndpoints.SyncOverAsync")]
    [InlineData("Lab.Server.Server.BackendClient+<GetAsync>d__7", "MoveNext", "Lab.Server.Server.BackendClient.GetAsync")]
    [InlineData("System.Threading.PortableThreadPool+WorkerThread", "WorkerThreadStart", "System.Threading.PortableThreadPool.WorkerThread.WorkerThreadStart")]
    [InlineData("System.Collections.Generic.List`1[[System.Int32, System.Private.CoreLib]]", "Add", "System.Collections.Generic.List.Add")]
    [InlineData("System.Runtime.CompilerServices.AsyncMethodBuilderCore", "Start[[Kestrel.HttpProtocol+<ProcessRequests>d__237`1[[System.__Canon]]]]", "System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start")]
    [InlineData(null, null, "?.?")]
    public void Frame_names_read_as_the_code_was_written(string? type, string? method, string expected) =>
        Assert.Equal(expected, FrameName.Clean(type, method));

    [Theory]
    [InlineData("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll", false)]
    [InlineData("/usr/share/dotnet/shared/Microsoft.AspNetCore.App/10.0.12/Microsoft.AspNetCore.Http.dll", false)]
    [InlineData("/app/System.Net.Http.dll", false)]
    [InlineData("/work/lab-server/bin/Release/net10.0/Lab.Server.dll", true)]
    [InlineData("C:\\app\\MyApp.dll", true)]
    [InlineData(null, false)]
    public void Application_frames_are_those_outside_the_shared_frameworks(string? module, bool application) =>
        Assert.Equal(application, StackSnapshotter.IsApplication(module));

    [Fact]
    public void A_snapshot_reads_back_with_the_record_it_was_written_with()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("lab-stacks-").FullName, "stacks-sync.json");
        var (groups, other) = StackGrouping.Group([new ThreadFrames(s_blocked, 4), new ThreadFrames(s_blocked, 4), new ThreadFrames(s_idle, -1)]);
        var snapshot = new StackSnapshot
        {
            Variant = "sync", ProcessId = 42, UnixMs = 1000, TimeS = 2.5, QueueLength = 120, PoolThreads = 30, PauseMs = 40.5, Threads = 3,
            Groups = groups, OtherThreads = other, Headlines = StackGrouping.ByHeadline(groups, other),
            Attempts = [new SnapshotAttempt(1000, 2.5, 120, 40.5, 3)],
        };
        snapshot.Write(path);

        var read = StackSnapshot.Read(path)!;
        Assert.Equal(2, read.Top);
        Assert.Equal(2.0 / 3, read.TopShare, 6);
        Assert.Equal(snapshot.Groups.Select(g => (g.Count, g.Headline, string.Join('|', g.Frames))), read.Groups.Select(g => (g.Count, g.Headline, string.Join('|', g.Frames))));
        Assert.Equal(snapshot.Attempts, read.Attempts);
        Assert.Null(StackSnapshot.Read(path + ".missing"));
    }
}
