using Lab.Testing;
using Lab.Client.Load;
using Lab.Client.Scenarios;

namespace Lab.Client.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class ScheduleTests
{
    private static double[] Open(LoadModel model, params LoadPhase[] phases) =>
        Schedule.Arrivals(new LoadProfile(model, phases), seed: 7).Select(a => Math.Round(a.OffsetS, 6)).ToArray();

    [Fact]
    public void Inject_spaces_arrivals_evenly_from_the_phase_start()
    {
        Assert.Equal([0, 0.25, 0.5, 0.75], Open(LoadModel.Open, new InjectPhase(4, 1)));
    }

    [Theory]
    [InlineData(10, 1, 10)]
    [InlineData(200, 10, 2000)]
    [InlineData(3, 0.5, 2)]      // 0, 0.333
    [InlineData(0.5, 5, 3)]      // 0, 2, 4
    [InlineData(1000, 0.001, 1)]
    public void Inject_schedules_rate_times_duration_arrivals(double rate, double duration, int expected)
    {
        Assert.Equal(expected, Open(LoadModel.Open, new InjectPhase(rate, duration)).Length);
    }

    [Fact]
    public void Phases_follow_one_another_and_pauses_send_nothing()
    {
        var arrivals = Schedule.Arrivals(new LoadProfile(LoadModel.Open, [new InjectPhase(2, 1), new PausePhase(2), new InjectPhase(1, 2)]), 1).ToArray();
        Assert.Equal([0, 0.5, 3, 4], arrivals.Select(a => a.OffsetS));
        Assert.Equal([0, 0, 2, 2], arrivals.Select(a => a.Phase));
    }

    [Fact]
    public void A_ramp_up_follows_the_integral_of_its_rate()
    {
        // 0 → 10/s over 2 s: N(t) = 2.5·t², so 10 arrivals, the k-th at sqrt(k / 2.5).
        var times = Open(LoadModel.Open, new RampPhase(0, 10, 2));
        Assert.Equal(10, times.Length);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => Math.Round(Math.Sqrt(k / 2.5), 6)), times);
    }

    [Fact]
    public void A_ramp_down_is_dense_first_and_sparse_last()
    {
        var times = Open(LoadModel.Open, new RampPhase(10, 0, 2));
        Assert.Equal(10, times.Length);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(gaps.Zip(gaps.Skip(1), (a, b) => b > a).All(x => x), "gaps should widen as the rate falls");
    }

    [Fact]
    public void A_flat_ramp_equals_inject()
    {
        Assert.Equal(Open(LoadModel.Open, new InjectPhase(50, 2)), Open(LoadModel.Open, new RampPhase(50, 50, 2)));
    }

    [Fact]
    public void Random_rate_stays_within_bounds_per_second_and_repeats_with_its_seed()
    {
        var phase = new RandomRatePhase(100, 300, 5);
        var a = Open(LoadModel.Open, phase);
        Assert.Equal(a, Open(LoadModel.Open, phase));
        for (var s = 0; s < 5; s++)
        {
            var n = a.Count(t => t >= s && t < s + 1);
            Assert.InRange(n, 100, 301);
        }

        var other = Schedule.Arrivals(new LoadProfile(LoadModel.Open, [phase]), seed: 8).Count();
        Assert.NotEqual(a.Length, other);
    }

    [Fact]
    public void Keep_concurrent_runs_every_user_for_the_whole_phase()
    {
        var users = Schedule.Users(new LoadProfile(LoadModel.Closed, [new PausePhase(1), new KeepConcurrentPhase(3, 2)]));
        Assert.Equal(3, users.Count);
        Assert.All(users, u => Assert.Equal((1.0, 3.0, 1), (u.StartS, u.EndS, u.Phase)));
    }

    [Fact]
    public void Ramp_concurrent_up_adds_users_evenly()
    {
        var users = Schedule.Users(new LoadProfile(LoadModel.Closed, [new RampConcurrentPhase(2, 6, 4)]));
        Assert.Equal([0, 0, 0, 1, 2, 3], users.Select(u => u.StartS));
        Assert.All(users, u => Assert.Equal(4, u.EndS));
    }

    [Fact]
    public void Ramp_concurrent_down_removes_users_evenly()
    {
        var users = Schedule.Users(new LoadProfile(LoadModel.Closed, [new RampConcurrentPhase(4, 0, 4)]));
        Assert.Equal([1, 2, 3, 4], users.Select(u => u.EndS).Order());
        Assert.All(users, u => Assert.Equal(0, u.StartS));
    }

    [Fact]
    public void Weighted_mix_spreads_the_heavier_endpoint_evenly()
    {
        var cycle = LoadEngine.WeightedCycle([new EndpointShare("/a", 1), new EndpointShare("/b", 3)]);
        Assert.Equal(4, cycle.Count);
        Assert.Equal(1, cycle.Count(e => e == "/a"));
        Assert.Equal(["/b", "/a", "/b", "/b"], cycle);
    }
}
