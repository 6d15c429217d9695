using System.Globalization;

namespace Lab.Client.Running;

/// <summary><c>results/&lt;UTC timestamp&gt;-&lt;scenario&gt;/</c>, never reusing (or overwriting) another run's folder.</summary>
public static class RunFolder
{
    public static string Create(string root, string scenario, DateTimeOffset now)
    {
        Directory.CreateDirectory(root);
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? $"{stamp}-{scenario}" : $"{stamp}-{scenario}-{n}";
            var path = Path.Combine(root, name);
            try
            {
                // CreateDirectory succeeds on an existing folder, so claim the name with a marker file.
                Directory.CreateDirectory(path);
                using var _ = new FileStream(Path.Combine(path, ".run"), FileMode.CreateNew);
                return path;
            }
            catch (IOException) when (File.Exists(Path.Combine(path, ".run")))
            {
                // Taken by another run started in the same second.
            }
        }
    }
}
