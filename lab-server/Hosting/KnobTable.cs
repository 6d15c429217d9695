using System.Text;
using Lab.Contracts;

namespace Lab.Server.Hosting;

/// <summary>
/// The knob table of lab-server/README.md, written from <see cref="ServerKnobs.All"/>: the README holds it between
/// <c>&lt;!-- knobs:begin --&gt;</c> and <c>&lt;!-- knobs:end --&gt;</c>, and a test fails (printing this text) when they differ.
/// </summary>
public static class KnobTable
{
    public const string BeginMarker = "<!-- knobs:begin -->";
    public const string EndMarker = "<!-- knobs:end -->";

    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| knob (`--Lab:Key=value`) | what it does | unit | default | example | read by |\n");
        text.Append("|---|---|---|---|---|---|\n");
        foreach (var knob in ServerKnobs.All)
        {
            var readBy = (knob.Roles == KnobRoles.Both ? "both roles" : "server") + (knob.SetByOrchestrator ? "; set by lab-client" : "");
            text.Append($"| `{knob.Name}` | {Cell(knob.Description)} | {Cell(knob.Unit ?? "—")} | {Cell(knob.Default)} | `{knob.Example}` | {readBy} |\n");
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
