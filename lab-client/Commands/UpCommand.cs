using System.CommandLine;
using Lab.Client.Running;

namespace Lab.Client.Commands;

/// <summary>
/// <c>up</c>: starts a backend and a server, each in its own process on loopback, prints their URLs
/// and ready-to-paste load commands, and stops both (by PID) on Ctrl+C or after <c>--duration</c>.
/// For poking at the endpoints by hand or with wrk/hey while scenarios are not needed.
/// </summary>
public static class UpCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration")
        {
            Description = "Seconds to keep the pair up before stopping it (1–86400).",
            DefaultValueFactory = _ => 600,
        };
        duration.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v is < 1 or > 86_400) r.AddError($"--duration must be from 1 to 86400 seconds, found {v}.");
        });
        var set = new Option<string[]>("--set")
        {
            Description = "A server knob as Key=Value (repeatable), e.g. --set MinWorkerThreads=200 --set ConcurrencyLimit=100.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("up", "Start a backend and a server on loopback and keep them up (Ctrl+C stops both).")
        {
            duration,
            set,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(duration), parse.GetValue(set) ?? [], ct));
        return command;
    }

    public static async Task<int> RunAsync(int durationS, string[] knobs, CancellationToken ct)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var knob in knobs)
        {
            var eq = knob.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                await Console.Error.WriteLineAsync($"--set \"{knob}\": expected Key=Value, e.g. MinWorkerThreads=200.");
                return ExitCodes.BadArguments;
            }

            settings.Add(new(knob[..eq], knob[(eq + 1)..]));
        }

        var ready = TimeSpan.FromSeconds(30);
        await using var backend = await LabServerProcess.StartAsync("backend", [], ready, ct);
        LabServerProcess server;
        try
        {
            server = await LabServerProcess.StartAsync("server", [new("BackendUrl", backend.Url.ToString()), .. settings], ready, ct);
        }
        catch (LabServerStartException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ex.ExitCode == ExitCodes.BadArguments ? ExitCodes.BadArguments : ExitCodes.RunFailed;
        }

        await using var serverScope = server;

        Console.WriteLine($"backend  pid {backend.ProcessId}  {backend.Url}");
        Console.WriteLine($"server   pid {server.ProcessId}  {server.Url}");
        Console.WriteLine();
        Console.WriteLine($"  curl '{server.Url}lab/info'");
        Console.WriteLine($"  hey -z 20s -c 200 -t 60 '{server.Url}async?delayMs=500'");
        Console.WriteLine($"  wrk -t2 -c200 -d20s --timeout 60s --latency '{server.Url}sync?delayMs=500'");
        Console.WriteLine();
        Console.WriteLine($"Up for {durationS} s; Ctrl+C stops both.");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(durationS), ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: fall through to the orderly stop below.
        }

        var serverExit = await server.StopAsync(TimeSpan.FromSeconds(5));
        var backendExit = await backend.StopAsync(TimeSpan.FromSeconds(5));
        Console.WriteLine($"Stopped: server exit {serverExit}, backend exit {backendExit}.");
        return ExitCodes.Ok;
    }
}
