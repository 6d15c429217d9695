using System.Globalization;
using Lab.Client.Load;
using Lab.Testing;

namespace Lab.Client.Tests.Engine;

/// <summary>The recorder's line builder writes exactly what the interpolated strings with <c>0.###</c> wrote before it.</summary>
[Trait(Tier.Trait, Tier.Unit)]
public sealed class CsvLineTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.12)]
    [InlineData(1.5)]
    [InlineData(999.999)]
    [InlineData(1000)]
    [InlineData(3_599_999.999)]
    [InlineData(0.0005)]      // not a whole microsecond: rounded as 0.### rounds it
    [InlineData(0.12345)]
    [InlineData(2.0004999)]
    [InlineData(-0.5)]
    [InlineData(-0.0001)]
    [InlineData(1e13)]
    [InlineData(double.NaN)]
    public void A_time_is_written_as_0_hash_hash_hash_writes_it(double ms)
    {
        Assert.Equal(ms.ToString("0.###", CultureInfo.InvariantCulture), new string(new CsvLine().AppendMs(ms).Text));
    }

    [Fact]
    public void Times_rounded_to_the_microsecond_as_the_engine_makes_them_are_written_as_0_hash_hash_hash_writes_them()
    {
        var random = new Random(12);
        var line = new CsvLine();
        for (var i = 0; i < 100_000; i++)
        {
            var ms = Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 8)), 3);
            Assert.Equal(ms.ToString("0.###", CultureInfo.InvariantCulture), new string(line.Clear().AppendMs(ms).Text));
        }
    }

    [Fact]
    public void A_request_record_line_is_unchanged()
    {
        Assert.Equal("v,2,1,17,/sync?delayMs=500,1000.125,1000.5,1500,200,ok,10",
            new RequestRecord("v", 2, 1, 17, "/sync?delayMs=500", 1000.125, 1000.5, 1500, 200, Outcome.Ok, 10).ToCsv());
        Assert.Equal("v,1,0,3,\"/a?x=1,2\",5,,,0,dropped,0",
            new RequestRecord("v", 1, 0, 3, "/a?x=1,2", 5, null, null, 0, Outcome.Dropped, 0).ToCsv());
    }

    [Fact]
    public void A_journal_line_replaces_commas_in_the_endpoint()
    {
        var line = new InFlightEntry("v", 1, 0, 3, "/a?x=1,2", 5.25, 5.5).AppendCsv(new CsvLine());
        Assert.Equal("v,1,0,3,/a?x=1;2,5.25,5.5", new string(line.Text));
    }

    [Fact]
    public void A_line_longer_than_the_buffer_grows_it()
    {
        var endpoint = "/" + new string('x', 1_000);
        Assert.Equal($"v,1,0,1,{endpoint},0,0.001,2,200,ok,1",
            new RequestRecord("v", 1, 0, 1, endpoint, 0, 0.001, 2, 200, Outcome.Ok, 1).ToCsv());
    }
}
