using System.Globalization;

namespace Lab.Server.Http;

/// <summary>
/// A backend delay: fixed (<c>500</c>) or uniformly random in a range (<c>200-800</c>), like the
/// random delay of the sources' sample service. Capped at 60 s so no query can hang the backend.
/// </summary>
public readonly record struct DelaySpec(int MinMs, int MaxMs)
{
    public const int CapMs = 60_000;

    public bool IsFixed => MinMs == MaxMs;

    public int Next() => IsFixed ? MinMs : Random.Shared.Next(MinMs, MaxMs + 1);

    /// <summary>The query form, as forwarded from server to backend.</summary>
    public override string ToString() => IsFixed
        ? MinMs.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{MinMs}-{MaxMs}");

    public static bool TryParse(string text, out DelaySpec spec, out string error)
    {
        spec = default;
        error = $"expected milliseconds from 0 to {CapMs} (\"500\") or a range \"min-max\" (\"200-800\"), found \"{text}\"";
        var dash = text.IndexOf('-');
        if (dash > 0)
        {
            if (Ms(text[..dash], out var lo) && Ms(text[(dash + 1)..], out var hi))
            {
                if (lo > hi)
                {
                    error = $"range \"{text}\" has its minimum above its maximum";
                    return false;
                }

                spec = new DelaySpec(lo, hi);
                return true;
            }

            return false;
        }

        if (Ms(text, out var ms))
        {
            spec = new DelaySpec(ms, ms);
            return true;
        }

        return false;
    }

    private static bool Ms(string s, out int ms) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ms) && ms <= CapMs;
}
