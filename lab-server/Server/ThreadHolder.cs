namespace Lab.Server.Server;

/// <summary>
/// C4's experiment: creates dedicated OS threads (not pool threads) that block on one gate until released
/// or until their hold time ends, so the sampler can record what each blocked thread costs in resident,
/// private and virtual memory. Bounded: at most <see cref="MaxHeld"/> at once, each for at most two minutes.
/// </summary>
public sealed class ThreadHolder : IDisposable
{
    public const int MaxHeld = 5_000;
    public const int MaxHoldMs = 120_000;

    private readonly ManualResetEventSlim _release = new();
    private int _held;

    public int Held => Volatile.Read(ref _held);

    /// <summary>Starts <paramref name="count"/> threads that each wait up to <paramref name="holdMs"/>; false if that would exceed the cap.</summary>
    public bool Hold(int count, int holdMs)
    {
        if (Interlocked.Add(ref _held, count) > MaxHeld)
        {
            Interlocked.Add(ref _held, -count);
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            // Default stack size on purpose: the experiment measures what the runtime reserves per thread.
            new Thread(() =>
            {
                try
                {
                    _release.Wait(holdMs);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                }
            })
            { IsBackground = true, Name = "lab-held" }.Start();
        }

        return true;
    }

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }
}
