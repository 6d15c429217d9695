using System.Globalization;

namespace Lab.Server.Hosting;

/// <summary>
/// The two fields of <c>/proc/&lt;pid&gt;/stat</c> that say whether a process still runs: its state (<c>Z</c>, a
/// zombie, has exited and only waits for its parent to reap it) and its start time (a different start time under
/// the same PID is a different process: the PID was reused).
/// </summary>
public readonly record struct ProcStat(char State, ulong StartTimeTicks)
{
    /// <summary>Exited: a zombie (Z) or dead (X, x).</summary>
    public bool HasExited => State is 'Z' or 'X' or 'x';

    /// <summary>Null when there is no such process (or not on Linux).</summary>
    public static ProcStat? Read(int processId)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{processId}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses one stat line; null when it is not one.</summary>
    public static ProcStat? Parse(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        // Field 2, the command name in parentheses, may itself hold spaces and ')': the fixed fields start after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        var fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        return fields.Length > 19 && fields[0].Length == 1
            && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcStat(fields[0][0], start)
            : null;
    }
}
