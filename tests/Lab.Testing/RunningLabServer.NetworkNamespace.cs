using System.Diagnostics;

namespace Lab.Testing;

public sealed partial class RunningLabServer
{
    /// <summary>
    /// Starts lab-server inside a network namespace, as it would run on a machine of its own:
    /// <c>ip netns exec &lt;ns&gt; dotnet Lab.Server.dll &lt;role&gt; --urls &lt;urls&gt; --Lab:Key=value…</c>, and waits for
    /// its ready line. A non-loopback <paramref name="urls"/> is allowed because it is on the command line (lab-server
    /// says so on stderr). <c>ip netns exec</c> execs dotnet in place, so <see cref="ProcessId"/> is lab-server's own
    /// PID and stopping it stops the server; a caller that must be sure compares it with the namespace's process list.
    /// </summary>
    public static Task<RunningLabServer> StartInNetworkNamespaceAsync(
        NetworkNamespace networkNamespace,
        string role,
        string urls,
        IEnumerable<(string Key, string Value)>? settings = null,
        TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        string[] arguments = [LabServerDll.Find(), role, "--urls", urls, .. (settings ?? []).Select(s => $"--Lab:{s.Key}={s.Value}")];
        return LaunchAsync(networkNamespace.StartInfo("dotnet", arguments), readyTimeout ?? DefaultReadyTimeout);
    }

    /// <summary>Starts <paramref name="psi"/> and waits for the ready line; stops the process and throws with its stderr if none comes.</summary>
    private static async Task<RunningLabServer> LaunchAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var lab = new RunningLabServer(process, psi.FileName + " " + string.Join(' ', psi.ArgumentList));
        process.OutputDataReceived += (_, e) => lab.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => lab.OnStderr(e.Data);
        process.Exited += (_, _) => lab.OnExited();
        process.Start();
        lab.ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await lab._ready.Task.WaitAsync(timeout);
            return lab;
        }
        catch (TimeoutException ex)
        {
            await lab.DisposeAsync();
            throw new LabServerStartException(
                $"lab-server ({lab.CommandLine}) did not print its ready line within {timeout.TotalSeconds:0} s.\n{lab.RecentStandardError}",
                null, lab.RecentStandardError, ex);
        }
        catch (LabServerStartException)
        {
            await lab.DisposeAsync();
            throw;
        }
    }
}
