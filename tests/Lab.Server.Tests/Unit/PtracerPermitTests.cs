using Lab.Server.Hosting;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

/// <summary>
/// The permit a lab-server gives its client's stack-snapshot agent: taken exactly where Yama is there to take it
/// (its ptrace_scope file exists), refused without changing anything elsewhere.
/// </summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class PtracerPermitTests
{
    [SkippableFact]
    public void The_permit_is_taken_where_yama_is_present_and_nowhere_else()
    {
        Prerequisite.RequireLinux("prctl(PR_SET_PTRACER) is a Linux call");
        var yama = File.Exists("/proc/sys/kernel/yama/ptrace_scope");
        Assert.Equal(yama, PtracerPermit.Grant(Environment.ProcessId));
    }
}
