using Lab.Client.Recording;
using Lab.Testing;

namespace Lab.Client.Tests.Unit;

/// <summary>The machine a run describes: the processor's model from <c>/proc/cpuinfo</c>, and the line every report shows.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class MachineProbeTests
{
    [Theory]
    [InlineData("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)  Processor @ 2.10GHz\n\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R)  Processor @ 2.10GHz\n",
        "Intel(R) Xeon(R) Processor @ 2.10GHz")]
    [InlineData("processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n\nHardware\t: BCM2835\n", "BCM2835")]
    [InlineData("processor\t: 0\nBogoMIPS\t: 50.00\nCPU part\t: 0xd0c\n", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_cpu_model_is_the_first_model_name_or_the_hardware_line(string? cpuinfo, string? expected) =>
        Assert.Equal(expected, MachineProbe.CpuModel(cpuinfo));

    [Fact]
    public void This_machine_is_described_with_its_cpu_model_on_linux()
    {
        var machine = MachineProbe.Describe(null);
        if (OperatingSystem.IsLinux() && File.ReadAllText("/proc/cpuinfo").Contains("model name", StringComparison.Ordinal))
        {
            Assert.False(string.IsNullOrWhiteSpace(machine.CpuModel));
            Assert.Contains(machine.CpuModel!, machine.Hardware, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_run_recorded_before_the_cpu_model_was_still_describes_its_machine()
    {
        var old = new MachineInfo("vm", "Debian GNU/Linux 12", "X64", 2, 25769803776, ".NET 10.0.12", "10.0.12", null, null, "1.0.0");
        Assert.Equal("Debian GNU/Linux 12, X64, 2 cores, 24 GiB", old.Hardware);
        Assert.Equal("Debian GNU/Linux 12, X64, Some CPU, 2 cores, 24 GiB", (old with { CpuModel = "Some CPU" }).Hardware);
    }
}
