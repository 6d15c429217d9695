using System.Collections;
using System.Net;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Lab.Server.Hosting;

/// <summary>
/// Loopback by default, really. Every address the process would listen on (<c>urls</c>, from <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c> or appsettings, and each <c>Kestrel:Endpoints:*:Url</c>) must be
/// loopback unless it was given on the command line: an inherited environment variable or a forgotten
/// settings file must never silently open the lab, and the load it can take, to other machines.
/// </summary>
public static class ListenAddresses
{
    private const string EndpointsSection = "Kestrel:Endpoints";

    public static ListenCheck Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var refusals = new List<string>();
        var allowed = new List<string>();
        foreach (var (key, value) in Configured(configuration))
        {
            foreach (var address in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (IsLoopback(address))
                {
                    continue;
                }

                var source = SourceOf(configuration, key);
                if (source.IsCommandLine)
                {
                    allowed.Add(address);
                }
                else
                {
                    refusals.Add($"refusing to listen on {address}: it is not a loopback address, and it came from {source.Description}, "
                        + $"not the command line. The lab listens on loopback only unless a wider address is given on the command line "
                        + $"(--{key} {address}); otherwise {source.Remedy}.");
                }
            }
        }

        return new ListenCheck(refusals, allowed);
    }

    /// <summary>
    /// Loopback (127.0.0.0/8, ::1, localhost) or not a network address at all (a Unix socket, a named pipe).
    /// Anything else, a host name included, is not: Kestrel binds every interface for a name it cannot parse.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe || string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(parsed.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static IEnumerable<(string Key, string Value)> Configured(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            yield return (WebHostDefaults.ServerUrlsKey, urls);
        }

        foreach (var endpoint in configuration.GetSection(EndpointsSection).GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return ($"{EndpointsSection}:{endpoint.Key}:Url", url);
            }
        }
    }

    private static ListenSource SourceOf(IConfiguration configuration, string key)
    {
        // The provider that wins is the last one that has the key.
        var provider = (configuration as IConfigurationRoot)?.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out _));
        switch (provider)
        {
            case CommandLineConfigurationProvider:
                return new ListenSource(true, "the command line", "");
            case EnvironmentVariablesConfigurationProvider:
                var name = EnvironmentVariableFor(key, configuration[key]);
                return name is null
                    ? new ListenSource(false, "an environment variable", $"unset the environment variable that sets {key}")
                    : new ListenSource(false, $"the environment variable {name}", $"unset {name}");
            case FileConfigurationProvider file:
                return new ListenSource(false, $"the settings file {file.Source.Path}", $"remove it from {file.Source.Path}");
            default:
                var described = provider?.ToString() ?? "an unknown configuration source";
                return new ListenSource(false, described, $"remove it from {described}");
        }
    }

    /// <summary>The variable that sets <paramref name="key"/>: <c>ASPNETCORE_URLS</c>, <c>DOTNET_URLS</c>, <c>URLS</c>, <c>Kestrel__Endpoints__…</c>.</summary>
    private static string? EnvironmentVariableFor(string key, string? value)
    {
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            var unprefixed = name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ? name["ASPNETCORE_".Length..]
                : name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) ? name["DOTNET_".Length..]
                : name;
            if (string.Equals(unprefixed.Replace("__", ":", StringComparison.Ordinal), key, StringComparison.OrdinalIgnoreCase)
                && string.Equals(variable.Value as string, value, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return null;
    }

    private sealed record ListenSource(bool IsCommandLine, string Description, string Remedy);
}
