namespace Lab.Testing;

/// <summary>
/// Test tiers, the way Kestrel's tests are organised, as the xunit trait <c>Tier</c>: every test class
/// carries one (a unit test checks that), and <c>./run-lab.sh test</c> runs them in this order, timing each.
/// </summary>
public static class Tier
{
    public const string Trait = "Tier";

    /// <summary>Pure functions and types: parsing, maths, writers against stored files. No sockets, no processes.</summary>
    public const string Unit = "Unit";

    /// <summary>lab-server's own pipeline on an in-memory TestServer, or a Kestrel stub in the test process: validation, routing, 400s.</summary>
    public const string InMemory = "InMemory";

    /// <summary>Real lab-server / lab-client processes on loopback: starvation, shutdown, orchestration, telemetry.</summary>
    public const string Processes = "Processes";

    public static readonly string[] InOrder = [Unit, InMemory, Processes];
}
