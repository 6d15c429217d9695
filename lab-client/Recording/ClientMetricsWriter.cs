using System.Globalization;

namespace Lab.Client.Recording;

/// <summary>
/// <c>client-metrics.csv</c>: the client watching itself, once a second per variant — dispatch lag,
/// in-flight requests, CPU, GC and its own thread pool, and the machine's busy and steal time (of all CPUs, from
/// /proc/stat) — so a run can show the client was not the bottleneck (docs/measurement.md), or that it was, or
/// that the host took the CPUs away.
/// </summary>
public sealed class ClientMetricsWriter : IDisposable
{
    public const string Header = "variant,second,scheduled,sent,dropped,completed,in_flight,lag_p99_ms,lag_max_ms,cpu_pct_of_one_core,gc0,gc1,gc2,allocated_mb,pool_threads,pool_queue,machine_busy_pct,steal_pct";

    private readonly StreamWriter _csv;
    private readonly Lock _lock = new();
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private DateTime _lastWall = DateTime.UtcNow;
    private readonly int[] _lastGc = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    private MachineCpu? _lastMachine = MachineCpu.Read();

    public ClientMetricsWriter(string path)
    {
        _csv = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        if (_csv.BaseStream.Length == 0) _csv.WriteLine(Header);
        _csv.Flush();
    }

    public void Write(string variant, int second, long scheduled, long sent, long dropped, long completed, long inFlight, double lagP99Ms, double lagMaxMs)
    {
        lock (_lock)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var wall = DateTime.UtcNow;
            var cpuPct = (cpu - _lastCpu).TotalMilliseconds / Math.Max(1, (wall - _lastWall).TotalMilliseconds) * 100;
            int[] gc = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var allocated = GC.GetTotalAllocatedBytes();
            var machine = MachineCpu.Read();
            var (busy, steal) = machine is { } m && _lastMachine is { } last ? m.Since(last) : (double.NaN, double.NaN);
            _csv.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{variant},{second},{scheduled},{sent},{dropped},{completed},{inFlight},{Num(lagP99Ms)},{Num(lagMaxMs)},{cpuPct:0.0},{gc[0] - _lastGc[0]},{gc[1] - _lastGc[1]},{gc[2] - _lastGc[2]},{(allocated - _lastAllocated) / 1048576.0:0.00},{ThreadPool.ThreadCount},{ThreadPool.PendingWorkItemCount},{Num(Math.Round(busy, 1))},{Num(Math.Round(steal, 1))}"));
            _csv.Flush();
            (_lastCpu, _lastWall, _lastAllocated, _lastMachine) = (cpu, wall, allocated, machine);
            gc.CopyTo(_lastGc, 0);
        }
    }

    public void Dispose() => _csv.Dispose();

    private static string Num(double v) => double.IsNaN(v) ? "" : v.ToString("0.###", CultureInfo.InvariantCulture);
}
