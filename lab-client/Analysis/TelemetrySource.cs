namespace Lab.Client.Analysis;

/// <summary>Where a variant run's server-side figures came from; the report names it next to them.</summary>
public enum TelemetrySource
{
    /// <summary>The target gave no thread-pool samples: its rows and charts say "no telemetry".</summary>
    None,

    /// <summary>lab-server's own sampler thread (<c>samples-&lt;variant&gt;.jsonl</c>, written by the server).</summary>
    Sampler,

    /// <summary>
    /// The runtime's counters of a server the lab did not write, read through its diagnostics port (EventPipe) on the
    /// client's own thread (<c>--target-pid</c>, or a scenario's <c>target:</c>).
    /// </summary>
    DiagnosticsPort,
}
