using System.Diagnostics;
using System.Globalization;
using Lab.Client.Recording.Diagnostics;
using Lab.Contracts;
using Lab.Testing;

namespace Lab.Client.Tests.Runs;

/// <summary>
/// The stack agent fails in its own process: against a real (sleeping) process standing in for the server, stand-in
/// agents that crash or hang show that the server is never left stopped, the reason is recorded, and nothing throws.
/// </summary>
[Trait(Tier.Trait, Tier.Processes)]
public sealed class StackAgentTests : IDisposable
{
    private const string Ready = """echo '{"kind":"ready"}'""";
    private const string Warm = """read l; echo '{"kind":"warm","readMs":1}'""";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly Process _server = Process.Start("sleep", "600");
    private readonly string _folder = Processes.NewFolder();

    [Fact]
    public async Task An_agent_that_dies_with_SIGSEGV_on_a_snapshot_leaves_the_server_running_and_the_reason_on_record()
    {
        using var stacks = Snapshotter($"{Ready}; {Warm}; read l; kill -SEGV $$", stalled: true);
        Assert.True(await Eventually.TrueAsync(() => stacks.Failure is not null, Deadline), "no failure recorded");

        Assert.NotEqual('T', State(_server.Id));
        Assert.Matches(@"^stack snapshot agent \(pid \d+\) died with SIGSEGV while reading process \d+; snapshots stop for this variant; none was taken before$", stacks.Failure);
        Assert.Contains($"process {_server.Id}", stacks.Failure, StringComparison.Ordinal);
        Assert.NotNull(stacks.WarmPauseMs);
        Assert.Null(stacks.Best);
    }

    [Fact]
    public async Task An_agent_that_dies_while_loading_the_DAC_leaves_the_server_running_and_the_variant_without_snapshots()
    {
        using var stacks = Snapshotter($"{Ready}; read l; kill -SEGV $$", stalled: true);
        await stacks.Warmed.WaitAsync(Deadline);

        Assert.NotEqual('T', State(_server.Id));
        Assert.Matches(@"died with SIGSEGV while loading the DAC for process \d+; this variant has no stack snapshots$", stacks.Failure);
        Assert.NotNull(stacks.WarmPauseMs);
    }

    [Fact]
    public async Task A_hung_agent_is_killed_by_its_pid_after_the_timeout_and_the_server_is_resumed()
    {
        // exec: the hung process is the agent's own pid, nothing left holding its pipes.
        using var stacks = Snapshotter($"{Ready}; {Warm}; read l; exec sleep 600", stalled: true, TimeSpan.FromSeconds(2));
        Assert.True(await Eventually.TrueAsync(() => stacks.AgentProcessId is not null, Deadline));
        var agent = stacks.AgentProcessId!.Value;
        Assert.True(await Eventually.TrueAsync(() => stacks.Failure is not null, Deadline), "no failure recorded");

        Assert.NotEqual('T', State(_server.Id));
        Assert.Contains($"stack snapshot agent (pid {agent}) gave no answer within 2 s while reading process {_server.Id} and was killed (SIGKILL)", stacks.Failure, StringComparison.Ordinal);
        Assert.True(await Processes.GoneWithinAsync([agent], Deadline), $"agent {agent} still running");
    }

    [Fact]
    public async Task The_agent_is_stopped_by_its_pid_when_the_variant_ends_even_if_it_ignores_its_closed_stdin()
    {
        var stacks = Snapshotter($"{Ready}; {Warm}; exec sleep 600", stalled: false);
        await stacks.Warmed.WaitAsync(Deadline);
        var agent = stacks.AgentProcessId!.Value;
        Assert.True(Processes.IsAlive(agent));

        stacks.Dispose();

        Assert.False(Processes.IsAlive(agent), $"agent {agent} outlived Dispose");
        Assert.Null(stacks.Failure);
        Assert.NotEqual('T', State(_server.Id));
    }

    [Fact]
    public async Task An_agent_killed_between_snapshots_is_recorded_when_the_variant_ends()
    {
        var stacks = Snapshotter($"{Ready}; {Warm}; kill -KILL $$", stalled: false);
        await stacks.Warmed.WaitAsync(Deadline);
        var agent = stacks.AgentProcessId!.Value;
        Assert.True(await Processes.GoneWithinAsync([agent], Deadline));

        stacks.Dispose();

        Assert.Equal($"stack snapshot agent (pid {agent}) died with SIGKILL between snapshots of process {_server.Id}; snapshots stop for this variant; none was taken before", stacks.Failure);
    }

    [Fact]
    public async Task The_real_agent_exits_when_its_stdin_closes_and_when_its_parent_is_gone()
    {
        var psi = StackAgentProcess.DefaultStartInfo(_server.Id);
        psi.RedirectStandardInput = psi.RedirectStandardOutput = true;
        using (var agent = Process.Start(psi)!)
        {
            Assert.Contains("\"kind\":\"ready\"", await agent.StandardOutput.ReadLineAsync().WaitAsync(Deadline), StringComparison.Ordinal);
            agent.StandardInput.Close();
            await agent.WaitForExitAsync().WaitAsync(Deadline);
            Assert.Equal(0, agent.ExitCode);
        }

        // A parent killed outright: the agent's stdin (the test's pipe) stays open, so only its parent watch can end it.
        var command = string.Join(' ', new[] { psi.FileName }.Concat(psi.ArgumentList.Take(4)).Select(a => $"'{a}'"));
        var shell = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        shell.ArgumentList.Add("-c");
        // A background job's stdin would be /dev/null (EOF at once): it gets the shell's own, kept open by this test.
        shell.ArgumentList.Add($"exec 3<&0; {command} --parent $$ 0<&3 3<&- & echo $!; read l");
        using var parent = Process.Start(shell)!;
        var pid = int.Parse((await parent.StandardOutput.ReadLineAsync().WaitAsync(Deadline))!, CultureInfo.InvariantCulture);
        Assert.Contains("\"kind\":\"ready\"", await parent.StandardOutput.ReadLineAsync().WaitAsync(Deadline), StringComparison.Ordinal);
        parent.Kill();
        Assert.True(await Processes.GoneWithinAsync([pid], Deadline), $"agent {pid} outlived its parent");
    }

    /// <summary>A snapshotter of the sleeping server with a stand-in agent; a stalled queue asks for a snapshot at once.</summary>
    private StackSnapshotter Snapshotter(string agentScript, bool stalled, TimeSpan? replyTimeout = null)
    {
        var sample = new ServerSample { ThreadPoolQueueLength = 50, ThreadPoolThreadCount = 4 };
        return new StackSnapshotter(_server.Id, () => stalled ? sample : null, Path.Combine(_folder, "stacks-x.json"), "x", 1, 3,
            agent: () =>
            {
                var psi = new ProcessStartInfo("/bin/sh");
                psi.ArgumentList.Add("-c");
                psi.ArgumentList.Add(agentScript);
                return psi;
            },
            replyTimeout: replyTimeout);
    }

    /// <summary>The state letter of /proc/&lt;pid&gt;/stat: 'T' is stopped (SIGSTOP).</summary>
    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    public void Dispose()
    {
        _server.Kill();
        _server.WaitForExit();
        _server.Dispose();
    }
}
