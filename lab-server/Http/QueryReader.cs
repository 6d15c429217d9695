using System.Globalization;

namespace Lab.Server.Http;

/// <summary>
/// Reads and validates query parameters, collecting every problem so one 400 names them all.
/// Unknown parameters are errors too: a misspelt <c>delyMs</c> must not silently run with the default.
/// </summary>
public sealed class QueryReader(IQueryCollection query, params string[] allowed)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0 && UnknownKeysChecked();

    private bool UnknownKeysChecked()
    {
        foreach (var key in query.Keys)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                _errors[key] = [$"unknown parameter; allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}"];
            }
        }

        return _errors.Count == 0;
    }

    public int Number(string name, int min, int max, int fallback)
    {
        if (!TryGetSingle(name, out var raw))
        {
            return fallback;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            return v;
        }

        _errors[name] = [$"expected an integer from {min} to {max}, found \"{raw}\""];
        return fallback;
    }

    public int? OptionalNumber(string name, int min, int max)
    {
        if (!query.ContainsKey(name))
        {
            return null;
        }

        var v = Number(name, min, max, int.MinValue);
        return v == int.MinValue ? null : v;
    }

    public DelaySpec Delay(string name, DelaySpec fallback)
    {
        if (!TryGetSingle(name, out var raw))
        {
            return fallback;
        }

        if (DelaySpec.TryParse(raw, out var spec, out var error))
        {
            return spec;
        }

        _errors[name] = [error];
        return fallback;
    }

    public string Choice(string name, string fallback, params string[] choices)
    {
        if (!TryGetSingle(name, out var raw))
        {
            return fallback;
        }

        if (choices.Contains(raw, StringComparer.Ordinal))
        {
            return raw;
        }

        _errors[name] = [$"expected one of {string.Join(", ", choices)}, found \"{raw}\""];
        return fallback;
    }

    /// <summary>Records a problem no single-parameter rule can see (e.g. two parameters that exclude each other).</summary>
    public void Reject(string name, string expectation) => _errors[name] = [expectation];

    /// <summary>400 with a problem-details body whose <c>errors</c> name each bad parameter.</summary>
    public IResult Problem() => TypedResults.ValidationProblem(
        _errors,
        detail: "One or more query parameters are invalid: " + string.Join("; ", _errors.Select(e => $"{e.Key}: {e.Value[0]}")),
        title: "Bad query");

    private bool TryGetSingle(string name, out string raw)
    {
        raw = "";
        if (!query.TryGetValue(name, out var values))
        {
            return false;
        }

        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            _errors[name] = [$"expected exactly one non-empty value, found {values.Count}"];
            return false;
        }

        raw = values[0]!.Trim();
        return true;
    }
}
