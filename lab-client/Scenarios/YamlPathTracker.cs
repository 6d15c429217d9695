using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lab.Client.Scenarios;

/// <summary>
/// Follows YAML parser events and knows, at every point, the field path (<c>load.phases[0].inject</c>), the
/// nesting depth and the innermost flow collection (<c>{ … }</c> or <c>[ … ]</c>) still open, so an error from
/// the parser that carries no position of its own can still say where it happened.
/// </summary>
public sealed class YamlPathTracker
{
    private readonly List<Frame> _frames = [];

    /// <summary>An open flow collection: where it starts, its path, and whether it is a mapping.</summary>
    public sealed record UnclosedFlow(Mark Start, string Path, bool IsMapping);

    private sealed class Frame(bool isMapping, bool isFlow, Mark start, string? path, bool isKey)
    {
        public bool IsKey { get; } = isKey;
        public bool IsMapping { get; } = isMapping;
        public bool IsFlow { get; } = isFlow;
        public Mark Start { get; } = start;
        public string? PathAtStart { get; } = path;
        public bool ExpectKey { get; set; } = true;
        public string? Key { get; set; }
        public int Index { get; set; }
    }

    public int Depth => _frames.Count;

    /// <summary>The end of the last event seen.</summary>
    public Mark Last { get; private set; } = Mark.Empty;

    /// <summary>The path of the value being read, or null at the top.</summary>
    public string? Path
    {
        get
        {
            string? path = null;
            foreach (var f in _frames)
            {
                if (f.IsMapping)
                {
                    if (f.Key is { } k) path = path is null ? k : $"{path}.{k}";
                }
                else
                {
                    path = $"{path}[{f.Index}]";
                }
            }

            return path;
        }
    }

    /// <summary>The innermost flow collection not yet closed, if any.</summary>
    public UnclosedFlow? OpenFlow =>
        _frames.LastOrDefault(f => f.IsFlow) is { } f ? new UnclosedFlow(f.Start, f.PathAtStart ?? "(file)", f.IsMapping) : null;

    public void Observe(ParsingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Last = e.End;
        switch (e)
        {
            case MappingStart m:
                Push(true, m.Style == MappingStyle.Flow, m.Start);
                break;
            case SequenceStart q:
                Push(false, q.Style == SequenceStyle.Flow, q.Start);
                break;
            case MappingEnd or SequenceEnd:
                if (_frames.Count == 0) break;
                var closed = _frames[^1];
                _frames.RemoveAt(_frames.Count - 1);
                if (!closed.IsKey) ValueDone();
                break;
            case Scalar s:
                if (_frames.Count > 0 && _frames[^1] is { IsMapping: true, ExpectKey: true } top)
                {
                    top.Key = s.Value;
                    top.ExpectKey = false;
                }
                else
                {
                    ValueDone();
                }

                break;
            case AnchorAlias:
                ValueDone();
                break;
        }
    }

    private void Push(bool isMapping, bool isFlow, Mark start)
    {
        // A list or mapping used as a key (? [a, b]) is a key, not a value: the value follows it.
        var isKey = _frames.Count > 0 && _frames[^1] is { IsMapping: true, ExpectKey: true };
        if (isKey)
        {
            _frames[^1].Key = "(key)";
            _frames[^1].ExpectKey = false;
        }

        _frames.Add(new Frame(isMapping, isFlow, start, Path, isKey));
    }

    private void ValueDone()
    {
        if (_frames.Count == 0) return;
        var top = _frames[^1];
        if (top.IsMapping) top.ExpectKey = true;
        else top.Index++;
    }
}
