using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Order;

namespace Lab.Bench;

/// <summary>
/// BenchmarkDotNet's defaults (console logger, the usual columns, GitHub Markdown, CSV and HTML exporters)
/// plus allocations per call, in the order the benchmarks are declared (baseline first). The job comes
/// from the command line.
/// </summary>
public static class LabBenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddDiagnoser(ThreadingDiagnoser.Default)
        .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared));
}
