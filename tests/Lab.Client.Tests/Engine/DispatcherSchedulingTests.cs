using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class DispatcherSchedulingTests
{
    [SkippableFact]
    public void What_is_reported_as_applied_is_what_the_thread_has_and_other_threads_keep_their_priority()
    {
        Prerequisite.RequireLinux("per-thread nice values are a Linux feature");
        string applied = "";
        int niceAfter = 0, otherNice = DispatcherScheduling.CurrentNice();
        var thread = new Thread(() =>
        {
            applied = DispatcherScheduling.ApplyToCurrentThread();
            niceAfter = DispatcherScheduling.CurrentNice();
        });
        thread.Start();
        thread.Join();

        // Raising priority needs root or CAP_SYS_NICE: either it was applied and reported, or neither.
        Assert.Equal(applied.Contains($"nice {DispatcherScheduling.Nice}", StringComparison.Ordinal), niceAfter == DispatcherScheduling.Nice);
        Assert.Equal(otherNice, DispatcherScheduling.CurrentNice());
    }
}
