using System.Globalization;

namespace Cib.Detection.Formats;

/// <summary>
/// Timestamp parsing shared by the formats. Every result is converted to UTC (offset zero), which is
/// what <see cref="Cib.Detection.Signals.Signal.Timestamp"/> promises.
/// </summary>
internal static class Timestamps
{
    /// <summary>Earliest instant accepted by <see cref="IsPlausible"/>: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset PlausibleFrom = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>First instant rejected by <see cref="IsPlausible"/>: 2101-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset PlausibleUntil = new(2101, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// True for years 2000-2100. Live ingest rejects anything else because such a timestamp is
    /// almost always a unit mistake (Unix seconds sent as milliseconds land in 1970).
    /// </summary>
    public static bool IsPlausible(DateTimeOffset t) => t >= PlausibleFrom && t < PlausibleUntil;

    /// <summary>
    /// Parses ISO 8601 date-time text that states its offset: <c>2024-05-01T12:00:00Z</c>,
    /// <c>2024-05-01T12:00:00.123+02:00</c> (a space instead of the T, as RFC 3339 allows, is accepted).
    /// A time without an offset is rejected: guessing the zone would silently shift it by hours.
    /// </summary>
    public static bool TryParseIso(ReadOnlySpan<char> s, out DateTimeOffset utc)
    {
        utc = default;
        s = s.Trim();
        if (s.Length < 17 || !HasIsoDate(s) || s[10] is not ('T' or 't' or ' ') || !HasOffset(s))
        {
            return false;
        }
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        utc = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>Converts Unix milliseconds (fractions allowed) to UTC; false outside the representable range.</summary>
    public static bool TryFromUnixMilliseconds(double milliseconds, out DateTimeOffset utc)
    {
        utc = default;
        if (!double.IsFinite(milliseconds) || milliseconds < MinUnixMilliseconds || milliseconds > MaxUnixMilliseconds)
        {
            return false;
        }
        var ticks = DateTimeOffset.UnixEpoch.Ticks + (long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond);
        if (ticks < DateTimeOffset.MinValue.Ticks || ticks > DateTimeOffset.MaxValue.Ticks)
        {
            return false;
        }
        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Converts Unix milliseconds to UTC; false outside the representable range.</summary>
    public static bool TryFromUnixMilliseconds(long milliseconds, out DateTimeOffset utc)
    {
        utc = default;
        if (milliseconds < MinUnixMilliseconds || milliseconds > MaxUnixMilliseconds)
        {
            return false;
        }
        utc = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }

    /// <summary>
    /// Parses Unix seconds written as a decimal number (<c>1700000000</c>, <c>260.5</c>), exactly:
    /// decimal arithmetic, so a fraction such as .1 does not drift by a tick.
    /// </summary>
    public static bool TryParseUnixSeconds(ReadOnlySpan<char> s, out DateTimeOffset utc)
    {
        utc = default;
        if (!decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        var minSeconds = (decimal)(DateTimeOffset.MinValue.Ticks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        var maxSeconds = (decimal)(DateTimeOffset.MaxValue.Ticks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        if (seconds < minSeconds || seconds > maxSeconds)
        {
            return false;
        }
        var ticks = DateTimeOffset.UnixEpoch.Ticks + (long)decimal.Round(seconds * TimeSpan.TicksPerSecond);
        utc = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Parses the CSV formats' timestamp: Unix seconds, or ISO 8601 with an offset.</summary>
    public static bool TryParseSecondsOrIso(ReadOnlySpan<char> s, out DateTimeOffset utc) =>
        TryParseUnixSeconds(s, out utc) || TryParseIso(s, out utc);

    /// <summary>The ISO 8601 form the writers emit: UTC, 'Z', fraction only when non-zero.</summary>
    public static string FormatIso(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static bool HasIsoDate(ReadOnlySpan<char> s) =>
        char.IsAsciiDigit(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3])
        && s[4] == '-' && char.IsAsciiDigit(s[5]) && char.IsAsciiDigit(s[6])
        && s[7] == '-' && char.IsAsciiDigit(s[8]) && char.IsAsciiDigit(s[9]);

    /// <summary>Ends in Z, or in +hh:mm, +hhmm or +hh (or '-') after the time.</summary>
    private static bool HasOffset(ReadOnlySpan<char> s)
    {
        if (s[^1] is 'Z' or 'z')
        {
            return true;
        }
        var sign = s[11..].LastIndexOfAny('+', '-');
        if (sign < 0)
        {
            return false;
        }
        var zone = s[(11 + sign + 1)..];
        return zone.Length switch
        {
            2 => IsDigits(zone),
            4 => IsDigits(zone),
            5 => zone[2] == ':' && IsDigits(zone[..2]) && IsDigits(zone[3..]),
            _ => false,
        };
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
