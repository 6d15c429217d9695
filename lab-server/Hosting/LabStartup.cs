using Lab.Server.Configuration;

namespace Lab.Server.Hosting;

/// <summary>The checks before anything is built: settings the lab refuses, and thread-pool limits the runtime refuses.</summary>
public static class LabStartup
{
    /// <summary>The settings, or null after printing every problem (each naming its key) to <paramref name="error"/>.</summary>
    public static LabSettings? ReadSettings(WebApplicationBuilder builder, LabRole? role, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(error);
        var reader = new SettingsReader(builder.Configuration, Environment.ProcessorCount);
        var settings = reader.Read(role);
        if (settings is null)
        {
            error.WriteLine("lab-server: invalid configuration:");
            foreach (var problem in reader.Errors)
            {
                error.WriteLine("  " + problem);
            }
        }

        return settings;
    }

    /// <summary>
    /// Applies MinWorkerThreads and MaxWorkerThreads to this process's thread pool; false after printing what the
    /// runtime refused (a forced minimum from <c>DOTNET_ThreadPool_ForceMinWorkerThreads</c>, for one).
    /// </summary>
    public static bool ApplyThreadPool(LabSettings settings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(error);
        ThreadPool.GetMinThreads(out _, out var minIo);
        ThreadPool.GetMaxThreads(out _, out var maxIo);
        string? refused = null;
        if (settings.MaxWorkerThreads is { } max && !ThreadPool.SetMaxThreads(max, maxIo))
        {
            refused = $"{SettingsReader.Section}:MaxWorkerThreads = {max}: ThreadPool.SetMaxThreads refused it (must be >= the minimum).";
        }
        else if (settings.MinWorkerThreads is { } min && !ThreadPool.SetMinThreads(min, minIo))
        {
            refused = $"{SettingsReader.Section}:MinWorkerThreads = {min}: ThreadPool.SetMinThreads refused it "
                + "(above the maximum, or DOTNET_ThreadPool_ForceMinWorkerThreads is set).";
        }

        if (refused is not null)
        {
            error.WriteLine("lab-server: invalid configuration:\n  " + refused);
        }

        return refused is null;
    }
}
