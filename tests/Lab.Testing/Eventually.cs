namespace Lab.Testing;

/// <summary>Waiting on a condition with a generous deadline instead of a fixed sleep: fast when the machine is idle, patient when it is not.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="pollMs"/> ms until it holds or <paramref name="deadline"/> passes; returns whether it held.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan deadline, int pollMs = 50)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(pollMs);
        }

        return await condition();
    }

    public static Task<bool> TrueAsync(Func<bool> condition, TimeSpan deadline, int pollMs = 50)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), deadline, pollMs);
    }
}
