using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Lab.Server.Tests.InMemory;

/// <summary>
/// lab-server's own Program, hosted in memory on TestServer in one role: the real pipeline (validation, routing,
/// problem details, limiter) without a socket or a process. The role and knobs reach it as settings
/// (<c>Lab:Role</c>, <c>Lab:Key</c>), the way a command line would. No knob that changes the test process's own
/// thread pool (Min/MaxWorkerThreads) belongs here.
/// </summary>
public class LabApp(string role, params (string Key, string Value)[] knobs) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Lab:Role", role);
        foreach (var (key, value) in knobs)
        {
            builder.UseSetting($"Lab:{key}", value);
        }
    }
}

/// <summary>The backend role in memory, shared by a test class.</summary>
public sealed class BackendApp() : LabApp("backend");

/// <summary>
/// The server role in memory, shared by a test class. Its backend URL points at a port nothing listens on: the
/// in-memory tier tests what the server answers before it would call the backend.
/// </summary>
public sealed class ServerApp() : LabApp("server", ("BackendUrl", ClosedPort.Url()));
