using Lab.Client.Scenarios.Schema;
using YamlDotNet.RepresentationModel;

namespace Lab.Client.Scenarios;

/// <summary><c>target:</c> — the user's own server: its command, where it answers, its environment and telemetry.</summary>
public sealed partial class ScenarioLoader
{
    private TargetSpec? Target(YamlMappingNode root)
    {
        var section = ScenarioSchema.Target;
        if (Child(root, "target") is not { } node) return null;
        if (node is not YamlMappingNode map)
        {
            Error(node, "target", Found(node), "a mapping { command: [...], url: ..., env: {...} }");
            return null;
        }

        Keys(map, "target", section);
        var command = new List<string>();
        var commandField = section["command"];
        if (Child(map, "command") is not { } c)
        {
            Missing(map, "target.command", "the program and its arguments, e.g. [dotnet, MyApp.dll, --urls, \"http://127.0.0.1:$PORT\"]");
        }
        else if (c is not YamlSequenceNode list)
        {
            Error(c, "target.command", Found(c), "a list: the program, then its arguments");
        }
        else if (Count(list, commandField, "target.command"))
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (Scalar(list.Children[i], commandField.Item!, $"target.command[{i}]") is { } arg) command.Add(arg);
            }
        }

        var url = Text(map, section["url"], "target");
        var parsed = url is null ? null : Uri.TryCreate(url.Replace(TargetSpec.PortToken, "1", StringComparison.Ordinal).Replace(TargetSpec.BackendToken, "http://x", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null;
        if (url is not null && parsed is not { Scheme: "http" or "https" })
        {
            Error(Child(map, "url")!, "target.url", $"\"{Clip(url!)}\"", "an absolute http:// URL, e.g. http://127.0.0.1:$PORT");
            url = null;
        }

        var readyPath = Child(map, "readyPath") is { } rp ? Endpoint(rp, section["readyPath"], "target.readyPath") : "/";
        var readyTimeoutS = Number(map, section["readyTimeoutS"], "target") ?? 60;
        var env = EnvironmentVariables(map, section["env"], "target");
        var telemetry = Choice(map, section["telemetry"], "target") ?? "eventpipe";
        var interval = (int)(Number(map, section["sampleIntervalMs"], "target") ?? 100);
        return command.Count == 0 || url is null || readyPath is null ? null
            : new TargetSpec(command, url, readyPath, readyTimeoutS, env, telemetry, interval);
    }

    /// <summary>With a target of the user's own, lab-server's knobs mean nothing: setting one is a mistake, said where.</summary>
    private void NoServerKnobs(YamlMappingNode root)
    {
        if (Child(root, "server") is { } server)
        {
            Error(server, "server", "lab-server settings with a target of your own", "no server: section (set your server's own options in target.command or target.env)");
        }

        if (Child(root, "variants") is YamlSequenceNode list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (list.Children[i] is YamlMappingNode v && Child(v, "server") is { } knobs)
                {
                    Error(knobs, $"variants[{i}].server", "lab-server settings with a target of your own", "the variant's env: for your server's settings");
                }
            }
        }
    }
}
