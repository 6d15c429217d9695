namespace Lab.Contracts;

/// <summary>Defaults of knobs that the client's model needs as numbers (the server uses the same constants).</summary>
public static class ServerKnobDefaults
{
    /// <summary>Requests that may wait for a limiter permit when ConcurrencyLimit is set and QueueLimit is not: 1000, HTTP.sys's default queue.</summary>
    public const int QueueLimit = 1_000;
}
