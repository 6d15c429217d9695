using BenchmarkDotNet.Running;
using Lab.Bench;

// BenchmarkDotNet's own command line (--filter, --job, --inProcess, --artifacts, --list …);
// `./run-lab.sh bench` calls this with a short job and collects the exported tables.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(LabBenchConfig).Assembly).Run(args, LabBenchConfig.Create()).ToList();
var informational = args.Any(a => a is "--list" or "--help" or "-h" or "--info" or "--version");
if (summaries.Count == 0 && !informational)
{
    Console.Error.WriteLine("lab-bench: no benchmark ran (does the --filter match any? `--list flat` lists them).");
    return 1;
}

return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
