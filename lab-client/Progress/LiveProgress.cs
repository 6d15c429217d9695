using System.Globalization;
using Spectre.Console;

namespace Lab.Client.Progress;

/// <summary>On a terminal: a live Spectre.Console table, one row per variant, updated every second.</summary>
public sealed class LiveProgress : IProgressSink
{
    private readonly Table _table = new Table().Border(TableBorder.Rounded).Expand();
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<string> _messages = [];
    private LiveDisplayContext? _context;

    public LiveProgress()
    {
        foreach (var column in new[] { "variant", "time", "phase", "offered/s", "2xx/s", "in flight", "2xx", "503", "errors", "timeouts", "dropped", "p99", "server pool", "queue", "lag p99" })
        {
            _table.AddColumn(new TableColumn(column).RightAligned());
        }
    }

    public static bool IsTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public Task RunAsync(Func<Task> work) =>
        AnsiConsole.Live(_table).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async ctx =>
        {
            _context = ctx;
            try
            {
                await work();
            }
            finally
            {
                ctx.Refresh();
            }
        }).ContinueWith(t =>
        {
            // The caption shows one message at a time; the full log follows the table.
            lock (_lock) foreach (var m in _messages) AnsiConsole.WriteLine(m);
            t.GetAwaiter().GetResult();
        }, TaskScheduler.Default);

    public void Report(ProgressSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string[] cells =
        [
            Markup.Escape(s.Variant), $"{s.ElapsedS:0}/{s.TotalS:0} s", Markup.Escape(s.Phase), N(s.OfferedPerS), N(s.GoodputPerS), N(s.InFlight),
            N(s.Ok), s.Rejected503 > 0 ? $"[yellow]{s.Rejected503}[/]" : "0", s.Errors > 0 ? $"[red]{s.Errors}[/]" : "0",
            s.Timeouts > 0 ? $"[red]{s.Timeouts}[/]" : "0", s.Dropped > 0 ? $"[red]{s.Dropped}[/]" : "0",
            PlainProgress.Ms(s.P99Ms), s.ServerThreads?.ToString(CultureInfo.InvariantCulture) ?? "?",
            s.ServerQueue?.ToString(CultureInfo.InvariantCulture) ?? "?", PlainProgress.Ms(s.LagP99Ms),
        ];
        lock (_lock)
        {
            if (!_rows.TryGetValue(s.Variant, out var row))
            {
                row = _table.Rows.Count;
                _rows[s.Variant] = row;
                _table.AddRow(cells);
            }
            else
            {
                for (var c = 0; c < cells.Length; c++) _table.UpdateCell(row, c, cells[c]);
            }

            _context?.Refresh();
        }
    }

    public void Message(string text)
    {
        lock (_lock)
        {
            _messages.Add(text);
            _table.Caption(Markup.Escape(text));
            _context?.Refresh();
        }
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
}
