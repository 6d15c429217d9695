using Lab.Client.Recording;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>The machine's busy and steal time from /proc/stat's first line, between two readings.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class MachineCpuTests
{
    [Fact]
    public void Busy_and_steal_are_shares_of_all_cpus_time_between_two_readings()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var before = MachineCpu.Parse("cpu  1000 0 200 5000 100 0 50 10 0 0")!.Value;
        var after = MachineCpu.Parse("cpu  1300 0 250 5100 100 0 50 110 0 0")!.Value;
        var (busy, steal) = after.Since(before);
        // 550 ticks passed: 350 busy (user 300 + system 50), 100 idle, 100 stolen.
        Assert.Equal(100.0 * 350 / 550, busy, 6);
        Assert.Equal(100.0 * 100 / 550, steal, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cpu0 1 2 3 4 5 6 7 8")]
    [InlineData("cpu  1 2 3")]
    [InlineData("cpu  1 2 x 4 5 6 7 8")]
    public void A_line_that_is_not_the_machine_total_is_no_reading(string line) => Assert.Null(MachineCpu.Parse(line));

    [SkippableFact]
    public void This_machine_can_be_read()
    {
        Prerequisite.RequireLinux("/proc/stat is Linux's");
        var reading = MachineCpu.Read();
        Assert.NotNull(reading);
        Assert.True(reading.Value.Total > reading.Value.Busy);
    }
}
