using Lab.Server.Hosting;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>Reading whether a process still runs from /proc/&lt;pid&gt;/stat, whatever its command name holds.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class ProcStatTests
{
    private const string Rest = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 123456 19 20";

    [Theory]
    [InlineData("4242 (sleep) S " + Rest, 'S', false)]
    [InlineData("4242 (sleep) Z " + Rest, 'Z', true)]
    [InlineData("4242 (dotnet) R " + Rest, 'R', false)]
    [InlineData("4242 (a b) c) X " + Rest, 'X', true)]
    [InlineData("4242 ((sd-pam)) S " + Rest, 'S', false)]
    public void State_and_start_time_are_read_after_the_last_parenthesis(string line, char state, bool exited)
    {
        var stat = ProcStat.Parse(line);
        Assert.NotNull(stat);
        Assert.Equal(state, stat.Value.State);
        Assert.Equal(exited, stat.Value.HasExited);
        Assert.Equal(123456UL, stat.Value.StartTimeTicks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (sleep")]
    [InlineData("4242 (sleep) S 1 2")]
    public void Anything_else_is_not_a_stat_line(string line) => Assert.Null(ProcStat.Parse(line));

    [SkippableFact]
    public void This_process_runs_and_a_process_that_never_was_is_gone()
    {
        Prerequisite.RequireLinux("it reads /proc/<pid>/stat");
        var self = ProcStat.Read(Environment.ProcessId);
        Assert.NotNull(self);
        Assert.False(self.Value.HasExited);
        Assert.False(ParentWatch.IsGone(Environment.ProcessId, self));
        Assert.True(ParentWatch.IsGone(int.MaxValue, null));
        // Same PID, another start time: the PID was reused by a different process.
        Assert.True(ParentWatch.IsGone(Environment.ProcessId, self.Value with { StartTimeTicks = self.Value.StartTimeTicks + 1 }));
    }
}
