using System.Globalization;

namespace Lab.Client.Recording;

/// <summary>
/// Who is writing a run: this process's PID and the kernel's start time for it. A reader that finds run.json
/// still "running" checks whether that process is alive (same PID, same start time, on the same host); if not,
/// the run was cut off (SIGKILL, a crash) and is reported as incomplete rather than as running forever.
/// </summary>
public static class ClientProcess
{
    public static ClientProcessInfo Current() => new(Environment.ProcessId, StartTicks(Environment.ProcessId), Environment.MachineName);

    /// <summary>Null while the run may still be going; otherwise why it will never finish.</summary>
    public static string? GoneReason(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Status != RunStatus.Running || manifest.Client is not { } client) return null;
        if (!string.Equals(client.HostName, Environment.MachineName, StringComparison.Ordinal)) return null;
        if (client.ProcessId == Environment.ProcessId) return null;
        var alive = StartTicks(client.ProcessId) is { } ticks && (client.StartTicks is null || ticks == client.StartTicks);
        return alive ? null
            : $"the client process {client.ProcessId} that wrote this run is gone (killed or crashed) while the run was {manifest.Status}; the data up to that moment is here, requests it had in flight are counted as aborted";
    }

    /// <summary>Field 22 of /proc/&lt;pid&gt;/stat (start time in clock ticks since boot), or null when there is no such process.</summary>
    public static long? StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces: count fields after its closing ')'.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (rest.Length > 19 && rest[0] != "Z" && long.TryParse(rest[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)) return ticks;
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return OperatingSystem.IsLinux() ? null : 0;
        }
    }
}
