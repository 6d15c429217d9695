namespace Lab.Server.Hosting;

/// <summary>The verdict of <see cref="ListenAddresses.Check"/>: addresses refused, and wider addresses allowed because the command line asked for them.</summary>
public sealed record ListenCheck(IReadOnlyList<string> Refusals, IReadOnlyList<string> NonLoopbackAllowed)
{
    public bool IsAllowed => Refusals.Count == 0;

    /// <summary>Writes each refusal, or a notice for each wider address, to <paramref name="error"/>; returns <see cref="IsAllowed"/>.</summary>
    public bool Report(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var refusal in Refusals)
        {
            error.WriteLine("lab-server: " + refusal);
        }

        if (IsAllowed)
        {
            foreach (var address in NonLoopbackAllowed)
            {
                error.WriteLine($"lab-server: listening on {address}, which is not a loopback address (given on the command line): "
                    + "other machines can reach this process and load it.");
            }
        }

        return IsAllowed;
    }
}
