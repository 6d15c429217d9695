using System.Globalization;
using System.Text;

namespace Lab.Client.Reports;

/// <summary><c>timeseries.csv</c>: one row per interval per variant run, client and server side by side; counts per interval of width_s seconds.</summary>
public static class TimeSeriesCsvWriter
{
    public const string Header = "variant,repetition,start_s,width_s,offered,sent,answered,ok,rejected_503,errors,timeouts,dropped,aborted,outstanding," +
        "latency_p50_ms,latency_p90_ms,latency_p99_ms,latency_p999_ms,latency_max_ms,service_p50_ms,service_p99_ms,lag_p99_ms,lag_max_ms," +
        "pool_threads,os_threads,pool_queue,active_requests,limiter_queue,open_connections,rss_mb,private_mb,virtual_mb,gc_heap_mb,cpu_cores";

    public static string Write(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var r in report.Variants.SelectMany(v => v.Runs).SelectMany(a => a.Intervals))
        {
            sb.AppendJoin(',',
                r.Variant, r.Repetition, N(r.StartS), N(r.WidthS), r.Offered, r.Sent, r.Answered, r.Ok, r.Rejected503, r.Errors, r.Timeouts, r.Dropped, r.Aborted, r.Outstanding,
                N(r.LatencyP50Ms), N(r.LatencyP90Ms), N(r.LatencyP99Ms), N(r.LatencyP999Ms), N(r.LatencyMaxMs), N(r.ServiceP50Ms), N(r.ServiceP99Ms),
                N(r.LagP99Ms), N(r.LagMaxMs), N(r.PoolThreads), N(r.OsThreads), N(r.PoolQueue), N(r.ActiveRequests), N(r.LimiterQueue),
                N(r.OpenConnections), N(r.RssMb), N(r.PrivateMb), N(r.VirtualMb), N(r.GcHeapMb), N(r.CpuCores)).Append('\n');
        }

        return sb.ToString();
    }

    private static string N(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.###", CultureInfo.InvariantCulture) : "";
}
