using System.Globalization;

namespace Lab.Client.Load;

/// <summary>
/// Builds one CSV line in a reusable buffer, for the recorder's thread: requests.csv and inflight.csv take a line per
/// request, and formatting them through interpolated strings with <c>0.###</c> was most of that thread's CPU
/// (measured: ~4 µs per request at 8,000/s, half of it formatting doubles). Times the engine writes are
/// milliseconds rounded to the microsecond, so they are written as integers of microseconds with the decimal point
/// put in — the exact text <c>0.###</c> gives for such values (checked against it in the tests); any other value
/// goes through <c>0.###</c> itself.
/// </summary>
internal sealed class CsvLine
{
    private char[] _chars = new char[256];
    private int _length;

    public ReadOnlySpan<char> Text => _chars.AsSpan(0, _length);

    public CsvLine Clear()
    {
        _length = 0;
        return this;
    }

    public CsvLine Append(char c)
    {
        Ensure(1);
        _chars[_length++] = c;
        return this;
    }

    public CsvLine Append(string s)
    {
        Ensure(s.Length);
        s.CopyTo(_chars.AsSpan(_length));
        _length += s.Length;
        return this;
    }

    public CsvLine Append(long v)
    {
        Ensure(20);
        v.TryFormat(_chars.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    /// <summary>A time in ms as <c>0.###</c> writes it; nothing for null (an empty field).</summary>
    public CsvLine AppendMs(double? ms) => ms is { } v ? AppendMs(v) : this;

    public CsvLine AppendMs(double ms)
    {
        Ensure(32);
        if (ms >= 0 && ms < 1e12)
        {
            var thousandths = Math.Round(ms * 1000);
            if (thousandths / 1000 == ms)
            {
                var k = (long)thousandths;
                Append(k / 1000);
                var fraction = (int)(k % 1000);
                if (fraction != 0)
                {
                    _chars[_length++] = '.';
                    _chars[_length++] = (char)('0' + fraction / 100);
                    fraction %= 100;
                    if (fraction != 0)
                    {
                        _chars[_length++] = (char)('0' + fraction / 10);
                        fraction %= 10;
                        if (fraction != 0) _chars[_length++] = (char)('0' + fraction);
                    }
                }

                return this;
            }
        }

        ms.TryFormat(_chars.AsSpan(_length), out var n, "0.###", CultureInfo.InvariantCulture);
        _length += n;
        return this;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _chars.Length) return;
        Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + more));
    }
}
