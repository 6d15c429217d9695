namespace Lab.Client.ClientBench;

/// <summary>What one sitting of <c>client-bench</c> runs. Every value is bounded by the command's validation.</summary>
public sealed record ClientBenchOptions
{
    public static readonly IReadOnlyList<double> DefaultRates = [100, 500, 1_000, 2_000, 4_000, 8_000, 12_000, 16_000];

    /// <summary>Open-model target rates for the client's rows, per second.</summary>
    public IReadOnlyList<double> Rates { get; init; } = DefaultRates;

    /// <summary>Length of each row's load (client, wrk, hey).</summary>
    public double DurationS { get; init; } = 10;

    /// <summary>The rate at which the client is compared with hey (hey rate-limited to the same).</summary>
    public double CompareRatePerS { get; init; } = DefaultCompareRatePerS;

    public const double DefaultCompareRatePerS = 8_000;

    /// <summary>Connections of wrk and hey, as in the old script (-c64).</summary>
    public int ToolConnections { get; init; } = 64;

    public int ClosedUsers { get; init; } = 200;
    public string ClosedEndpoint { get; init; } = "/async?delayMs=50";
    public double ClosedDurationS { get; init; } = 10;

    /// <summary>Run wrk and hey too (when installed).</summary>
    public bool Tools { get; init; } = true;

    /// <summary>Run the closed-model rows.</summary>
    public bool Closed { get; init; } = true;

    /// <summary>The Lab.Client.dll whose rows are measured (default: this one); another build gives a before/after in one sitting.</summary>
    public required string ClientDll { get; init; }

    public required string ResultsRoot { get; init; }
    public required string CommandLine { get; init; }
}
