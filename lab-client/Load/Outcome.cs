namespace Lab.Client.Load;

/// <summary>How one scheduled request ended. 503 is first-class: it is the claim C3 signal.</summary>
public enum Outcome
{
    Ok,
    Status503,
    Status5xx,
    Status4xx,
    Other,
    Timeout,
    ConnectionError,
    Dropped,
    Aborted,
}

public static class OutcomeNames
{
    public static string Name(this Outcome outcome) => outcome switch
    {
        Outcome.Ok => "ok",
        Outcome.Status503 => "503",
        Outcome.Status5xx => "5xx",
        Outcome.Status4xx => "4xx",
        Outcome.Other => "other",
        Outcome.Timeout => "timeout",
        Outcome.ConnectionError => "connection_error",
        Outcome.Dropped => "dropped",
        _ => "aborted",
    };

    public static Outcome Parse(string name) => name switch
    {
        "ok" => Outcome.Ok,
        "503" => Outcome.Status503,
        "5xx" => Outcome.Status5xx,
        "4xx" => Outcome.Status4xx,
        "other" => Outcome.Other,
        "timeout" => Outcome.Timeout,
        "connection_error" => Outcome.ConnectionError,
        "dropped" => Outcome.Dropped,
        "aborted" => Outcome.Aborted,
        _ => throw new FormatException($"unknown outcome \"{name}\""),
    };

    public static Outcome FromStatus(int status) => status switch
    {
        >= 200 and < 300 => Outcome.Ok,
        503 => Outcome.Status503,
        >= 500 => Outcome.Status5xx,
        >= 400 => Outcome.Status4xx,
        _ => Outcome.Other,
    };
}
