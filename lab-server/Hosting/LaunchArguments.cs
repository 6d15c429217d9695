using Lab.Server.Configuration;

namespace Lab.Server.Hosting;

/// <summary>
/// The command line before ASP.NET Core sees it: <c>--help</c>, or the role as the first argument followed by
/// host arguments (<c>--urls</c>, <c>--Lab:Key=value</c>). The role may instead come from the setting
/// <c>Lab:Role</c> (that is how in-memory tests start the app), so a missing role is decided later.
/// </summary>
public sealed record LaunchArguments(LabRole? Role, string[] HostArgs, bool Help, string? Error)
{
    public static LaunchArguments Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is [var first, ..] && first is "-h" or "--help" or "help" or "-?")
        {
            return new LaunchArguments(null, [], Help: true, Error: null);
        }

        if (args is [var role, ..] && !role.StartsWith('-'))
        {
            return Enum.TryParse<LabRole>(role, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(role[0])
                ? new LaunchArguments(parsed, args[1..], Help: false, Error: null)
                : new LaunchArguments(null, [], Help: false, Error: $"unknown role \"{role}\": expected \"backend\" or \"server\". Run with --help.");
        }

        return new LaunchArguments(null, args, Help: false, Error: null);
    }

    /// <summary>The exit code when the process should end here (<c>--help</c>, an unknown role); null to go on.</summary>
    public int? EarlyExit(TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Help)
        {
            output.Write(Usage.Text);
            return ExitCodes.Stopped;
        }

        if (Error is not null)
        {
            error.WriteLine("lab-server: " + Error);
            return ExitCodes.BadArguments;
        }

        return null;
    }
}
