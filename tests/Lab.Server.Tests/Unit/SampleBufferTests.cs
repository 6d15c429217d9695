using Lab.Contracts;
using Lab.Server.Telemetry;
using Lab.Testing;

namespace Lab.Server.Tests.Unit;

[Trait(Tier.Trait, Tier.Unit)]
public sealed class SampleBufferTests
{
    private static SampleBuffer Filled(int capacity, int count)
    {
        var buffer = new SampleBuffer(capacity);
        for (var i = 1; i <= count; i++)
        {
            buffer.Add(new ServerSample { Seq = i });
        }

        return buffer;
    }

    [Fact]
    public void Paging_by_sequence_returns_every_sample_once()
    {
        var buffer = Filled(100, 57);
        var seen = new List<long>();
        long after = 0;
        while (true)
        {
            var page = buffer.After(after, 10);
            if (page.Samples.Count == 0) break;
            seen.AddRange(page.Samples.Select(s => s.Seq));
            after = page.Samples[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 57).Select(i => (long)i), seen);
    }

    [Fact]
    public void A_wrapped_buffer_says_what_it_dropped()
    {
        var page = Filled(10, 25).After(0, 100);
        Assert.Equal(16, page.FirstAvailableSeq);
        Assert.Equal(25, page.LatestSeq);
        Assert.Equal(Enumerable.Range(16, 10).Select(i => (long)i), page.Samples.Select(s => s.Seq));
    }

    [Fact]
    public void Reading_past_the_end_returns_nothing()
    {
        var page = Filled(10, 5).After(5, 100);
        Assert.Empty(page.Samples);
        Assert.Equal(5, page.LatestSeq);
    }

    [Fact]
    public void Out_of_order_samples_are_refused()
    {
        var buffer = Filled(10, 3);
        Assert.Throws<InvalidOperationException>(() => buffer.Add(new ServerSample { Seq = 5 }));
    }
}
