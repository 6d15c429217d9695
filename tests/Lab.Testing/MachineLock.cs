namespace Lab.Testing;

/// <summary>
/// One real-process test collection at a time on this machine, whichever test assembly it is in and
/// however the tests were started (dotnet test runs test projects in parallel). The suites start
/// servers, starve them on purpose and measure timing: two at once on 2 cores would starve each other.
/// An exclusive open of a lock file (flock on Linux), so a crashed test host releases it.
/// </summary>
public sealed class MachineLock : IDisposable
{
    private static readonly string s_path = Path.Combine(Path.GetTempPath(), "thread-starvation-lab-tests.lock");
    private readonly FileStream _file;

    private MachineLock(FileStream file) => _file = file;

    public static async Task<MachineLock> AcquireAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new MachineLock(new FileStream(s_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"another run of the lab's real-process tests (or a client-bench sitting) held the machine-wide test lock {s_path} for all of {timeout.TotalMinutes:0.#} min; these tests did not run", ex);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
