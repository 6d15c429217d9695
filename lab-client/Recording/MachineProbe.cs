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
            typeof(MachineProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
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
