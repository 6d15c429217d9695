using System.Diagnostics;
using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

/// <summary>Request timeouts shared per slot of send times: the same source within a slot, never sooner than the timeout.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class SharedTimeoutsTests
{
    [Fact]
    public void Requests_sent_in_the_same_slot_share_a_token_and_the_next_slot_gets_another()
    {
        using var abort = new CancellationTokenSource();
        using var timeouts = new SharedTimeouts(TimeSpan.FromMinutes(1), abort.Token);
        var slot = Stopwatch.Frequency * SharedTimeouts.SlotMs / 1000;
        var start = (Stopwatch.GetTimestamp() / slot + 1) * slot;

        Assert.Equal(timeouts.For(start), timeouts.For(start + slot - 1));
        Assert.NotEqual(timeouts.For(start), timeouts.For(start + slot));
    }

    [Fact]
    public async Task A_token_is_not_cancelled_before_the_timeout_after_its_send_and_then_it_is_a_timeout()
    {
        using var abort = new CancellationTokenSource();
        using var timeouts = new SharedTimeouts(TimeSpan.FromMilliseconds(200), abort.Token);
        var sent = Stopwatch.GetTimestamp();
        var token = timeouts.For(sent);
        var cancelled = new TaskCompletionSource<long>();
        using var _ = token.Register(() => cancelled.TrySetResult(Stopwatch.GetTimestamp()));

        var at = await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(Stopwatch.GetElapsedTime(sent, at) >= TimeSpan.FromMilliseconds(200), "cancelled before its timeout");
        Assert.True(timeouts.TimedOut(token));
    }

    [Fact]
    public void The_runs_abort_cancels_every_token_and_is_not_a_timeout()
    {
        using var abort = new CancellationTokenSource();
        using var timeouts = new SharedTimeouts(TimeSpan.FromMinutes(1), abort.Token);
        var token = timeouts.For(Stopwatch.GetTimestamp());

        abort.Cancel();

        Assert.True(token.IsCancellationRequested);
        Assert.False(timeouts.TimedOut(token));
    }
}
