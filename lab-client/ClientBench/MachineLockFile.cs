namespace Lab.Client.ClientBench;

/// <summary>
/// The machine-wide test lock, held for a whole benchmark sitting so its numbers are not polluted by the lab's
/// real-process tests on a shared 2-core machine, nor theirs by it. The same exclusive open of the same file as
/// tests/Lab.Testing/MachineLock.cs (flock on Linux, so `flock /tmp/thread-starvation-lab-tests.lock …` in bash
/// takes the same lock); copied here because lab-client cannot reference the test support project.
/// </summary>
public sealed class MachineLockFile : IDisposable
{
    public static readonly string LockPath = Path.Combine(Path.GetTempPath(), "thread-starvation-lab-tests.lock");

    private readonly FileStream _file;

    private MachineLockFile(FileStream file) => _file = file;

    /// <summary>Waits up to <paramref name="timeout"/>, telling <paramref name="waiting"/> once if someone else holds it.</summary>
    public static async Task<MachineLockFile> AcquireAsync(TimeSpan timeout, Action waiting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        var until = DateTime.UtcNow + timeout;
        var told = false;
        while (true)
        {
            try
            {
                return new MachineLockFile(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                if (!told) waiting();
                told = true;
                await Task.Delay(200, ct);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
