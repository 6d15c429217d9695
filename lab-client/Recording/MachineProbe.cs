using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Lab.Client.Recording;

/// <summary>Describes the machine, runtime and source revision a run was made with.</summary>
public static class MachineProbe
{
    public static MachineInfo Describe(string? repositoryRoot)
    {
        var (commit, dirty) = Git(repositoryRoot);
        return new MachineInfo(
            Environment.MachineName,
            RuntimeInformation.OSDescription,
            RuntimeInformation.OSArchitecture.ToString(),
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            RuntimeInformation.FrameworkDescription,
            Environment.Version.ToString(),
            commit,
            dirty,
            typeof(MachineProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            OperatingSystem.IsLinux() ? CpuModel(ReadCpuInfo()) : null);
    }

    /// <summary>
    /// The processor's model from <c>/proc/cpuinfo</c>: the first <c>model name</c> (x86), else <c>Hardware</c> or
    /// <c>Processor</c> (some ARM kernels); null when it names none.
    /// </summary>
    public static string? CpuModel(string? cpuinfo)
    {
        if (cpuinfo is null) return null;
        var fields = cpuinfo.Split('\n')
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[1].Trim().Length > 0)
            .Select(p => (Key: p[0].Trim(), Value: string.Join(' ', p[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .ToList();
        return s_cpuModelKeys
            .Select(key => fields.FirstOrDefault(f => f.Key.Equals(key, StringComparison.Ordinal)).Value)
            .FirstOrDefault(v => v is not null);
    }

    /// <summary>The <c>/proc/cpuinfo</c> fields that name the processor, in the order they are preferred.</summary>
    private static readonly string[] s_cpuModelKeys = ["model name", "Hardware", "Processor"];

    private static string? ReadCpuInfo()
    {
        try
        {
            return File.ReadAllText("/proc/cpuinfo");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (string? Commit, bool? Dirty) Git(string? root)
    {
        if (root is null) return (null, null);
        var commit = Run(root, "rev-parse", "HEAD");
        var status = Run(root, "status", "--porcelain", "--untracked-files=no");
        return (commit?.Trim(), status is null ? null : status.Trim().Length > 0);
    }

    private static string? Run(string dir, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(5_000))
            {
                p.Kill();
                return null;
            }

            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
