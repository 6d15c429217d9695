using System.Globalization;
using System.Text;
using Lab.Contracts;
using Lab.Server.Backend;
using Lab.Server.Configuration;
using Lab.Server.Http;
using Lab.Server.Server;
using Lab.Server.Server.Probes;

namespace Lab.Server.Hosting;

/// <summary>
/// The text of <c>lab-server --help</c>. The settings come from the knob table (<see cref="ServerKnobs.All"/>) and
/// the limits from the constants that enforce them, so neither can drift from what the process does; the README
/// opens with this text and a test keeps it equal.
/// </summary>
public static class Usage
{
    private const int NameWidth = 26;

    public static string Text { get; } = Build();

    private static string Build()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            lab-server — the thread-starvation lab's backend and server, one executable, two roles.

            Usage:
              dotnet lab-server/bin/Release/net10.0/Lab.Server.dll backend [--urls URL] [--Lab:Key=value ...]
              dotnet lab-server/bin/Release/net10.0/Lab.Server.dll server  [--urls URL] [--Lab:Key=value ...]
              (the role may instead be the setting {{SettingsReader.Section}}:{{SettingsReader.RoleKey}}, as in-memory tests give it)

            Roles:
              backend   the slow dependency: /products /widgets /gizmos ?delayMs=500|200-800&items=N,
                        POST /echo, /fail?status=503. Waits with await Task.Delay (holds no thread) and
                        streams its answers with backpressure (a slow reader costs it a small buffer).
              server    the same backend call in each style: /sync /sync-over-async /async /apm /leaky /fast,
                        /pwg/serial-sync /pwg/parallel-async ?calls=3&budgetMs=..., /cpu/sync /cpu/async ?workMs=20 or ?workUnits=10000,
                        /threads/hold?count=200&holdMs=30000 (dedicated blocked threads, not pool threads).
                        probes of HttpWebRequest's Begin calls (C15–C17), measurements in the Server-Timing header:
                        /probe/apm-setup?setupMs={{ApmSetupProbe.DefaultSetupMs}}&method={{string.Join('|', ApmSetupProbe.Methods)}} (C15),
                        /probe/apm-starved?holdMs={{ApmStarvedProbe.DefaultHoldMs}}&method={{string.Join('|', ApmStarvedProbe.Methods)}} (C16),
                        /probe/apm-mix?sequence={{string.Join('|', ApmMixProbe.Sequences)}} (C17).
            Both:       /lab/info, /lab/samples?after=N, /lab/counters, /metrics (Prometheus text; Lab:Metrics=off turns it off).

            Limits per request (beyond them: 400 problem details naming the limit; /echo: 413):
              items {{BackendEndpoints.MaxItems:N0}} per list; calls {{CallPlan.MaxFanOut}} per fan-out, and calls × items {{CallPlan.MaxItemsPerRequest:N0}} per server request;
              delayMs {{DelaySpec.CapMs:N0}}; /echo body {{BackendEndpoints.MaxPayloadBytes / (1024 * 1024)}} MB; /threads/hold {{ThreadHolder.MaxHeld:N0}} threads at once, {{ThreadHolder.MaxHoldMs:N0}} ms each;
              setupMs {{ApmSetupProbe.MaxSetupMs:N0}}; holdMs {{ApmStarvedProbe.MinHoldMs}}–{{ApmStarvedProbe.MaxHoldMs:N0}}, one /probe/apm-starved at a time (409 otherwise).

            Listens on {{LabServices.DefaultServerUrl}} (server) or {{LabServices.DefaultBackendUrl}} (backend) unless --urls says otherwise;
            --urls http://127.0.0.1:0 picks a free port. Prints "{{LabProcess.ReadyLinePrefix}} ... url=..." once listening.
            Loopback only, unless a wider address is given on the command line: an address that is not loopback and
            comes from ASPNETCORE_URLS, DOTNET_URLS, appsettings or Kestrel:Endpoints is refused (exit 2, naming where
            it came from); one given with --urls is used, with a notice on stderr.

            Settings (section Lab: --Lab:Key=value, environment Lab__Key=value, or appsettings.json):

            """);
        foreach (var knob in ServerKnobs.All)
        {
            text.Append("  ").Append(knob.Name.PadRight(NameWidth)).Append(knob.Description).Append('\n');
            text.Append(' ', NameWidth + 2).Append(Details(knob)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"""

            Parent watch: with ParentProcessId set, the process stops within about {(ParentWatch.PollIntervalMs + LabProcess.ParentGoneGraceMs) / 1000.0:0.0} s of that process's exit
            (checked every {ParentWatch.PollIntervalMs} ms on its own thread; a zombie counts as exited), even with a starved thread pool.

            Exit codes: {ExitCodes.Stopped} stopped normally; {ExitCodes.StartFailed} could not start (port in use, backend unreachable for prewarm);
            {ExitCodes.BadArguments} bad arguments or settings (a non-loopback address not given on the command line included);
            {ExitCodes.KilledItself} killed itself because a graceful shutdown stalled (starved thread pool: {ShutdownWatchdog.MarginMs / 1000} s after ShutdownTimeoutMs,
            or {LabProcess.ParentGoneGraceMs} ms after its parent was gone).

            """);
        return text.ToString();
    }

    private static string Details(ServerKnob knob)
    {
        var parts = new List<string>();
        if (knob.Unit is not null) parts.Add(knob.Unit);
        parts.Add("default " + knob.Default);
        parts.Add($"e.g. --Lab:{knob.Name}={knob.Example}");
        parts.Add(knob.Roles == KnobRoles.Both ? "both roles" : "server role");
        if (knob.SetByOrchestrator) parts.Add("set by lab-client");
        return string.Join("; ", parts);
    }
}
