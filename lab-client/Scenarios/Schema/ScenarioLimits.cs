namespace Lab.Client.Scenarios.Schema;

/// <summary>
/// Bounds on every input a scenario can carry, checked by validation with the usual error, so no file
/// reaches a stack overflow, an unbounded list or a path too long for the file system.
/// </summary>
public static class ScenarioLimits
{
    /// <summary>A scenario is a few kilobytes; one of a megabyte is a mistake, not an experiment.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Mappings and lists nested deeper than this are refused before the YAML tree is built (the deepest real key is 5 levels down).</summary>
    public const int MaxDepth = 20;

    /// <summary>Errors listed per file; past it, a count of the rest.</summary>
    public const int MaxErrors = 50;

    public const int MaxTextLength = 4_000;
    public const int MaxListItems = 200;

    /// <summary>Scenario names become results folder names; variant names become file names and metric prefixes.</summary>
    public const int MaxScenarioNameLength = 64;
    public const int MaxVariantNameLength = 40;

    public const int MaxCheckLength = 500;

    /// <summary>A whole profile is bounded in time, like every load the lab sends.</summary>
    public const double MaxProfileDurationS = 3_600;

    /// <summary>
    /// Requests a run may plan without <c>--allow-large</c>. Every request is a line of requests.csv (about
    /// 70 bytes) and the report reads them all back; beyond this a run is hours of data, so it must be asked for.
    /// </summary>
    public const long MaxPlannedRequests = 5_000_000;
}
