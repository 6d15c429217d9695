namespace Lab.Client.Running;

/// <summary>How the orchestrator runs scenarios: where results go, local processes or remote URLs.</summary>
public sealed record RunOptions
{
    /// <summary>Folder under which each run gets its own <c>&lt;UTC timestamp&gt;-&lt;scenario&gt;</c> folder.</summary>
    public required string ResultsRoot { get; init; }

    /// <summary>Drive a server started by hand (remote mode) instead of starting one per variant.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>Use a backend started by hand instead of starting one.</summary>
    public Uri? BackendUrl { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Between SIGTERM and SIGKILL when a server is stopped.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The command line that started the run, recorded in run.json.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>With <see cref="ServerUrl"/>: a local .NET process whose runtime counters to read through its diagnostics port.</summary>
    public int? TargetPid { get; init; }

    /// <summary>Also read each lab-server's counters through its diagnostics port (counters-&lt;variant&gt;.jsonl), to compare with its own sampler.</summary>
    public bool DiagnosticsPort { get; init; }

    /// <summary>Runs per variant (interleaved); null = the scenario's own <c>repeat:</c>.</summary>
    public int? Repeat { get; init; }

    /// <summary>Path of Lab.Server.dll; found next to the repository's build output when null.</summary>
    public string? ServerDll { get; init; }
}
