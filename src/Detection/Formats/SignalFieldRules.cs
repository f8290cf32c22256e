using System.Globalization;
using System.Text;

namespace Cib.Detection.Formats;

/// <summary>
/// The checks every format applies to the same fields, kept in one place so NDJSON and CSV input
/// cannot drift apart, and the quoting of received values in error messages.
/// </summary>
internal static class SignalFieldRules
{
    /// <summary>Longest accepted id, in UTF-16 code units; ids are keys in storage and in memory.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest accepted target, in UTF-16 code units: targets are often URLs, which browsers
    /// and CDNs cap near 8 KB, and each one is a key of a co-activity window.</summary>
    public const int MaxTargetLength = 8_192;

    /// <summary>Longest accepted text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>Longest accepted fingerprint, handle or display name, in UTF-16 code units: a
    /// fingerprint is a co-activity key, and profile fields are shown in one line of a report.</summary>
    public const int MaxLabelLength = 256;

    /// <summary>Largest accepted follower, following or post count: a thousand times the largest platform's
    /// user base, so any real count fits and a value past it is a unit or encoding mistake.</summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>How much of a received value an error message repeats.</summary>
    private const int MaxQuotedLength = 80;

    /// <summary>
    /// Checks an identifier (a signal id, an account, a target): non-empty, at most
    /// <see cref="MaxIdLength"/> long, no control characters (they break logs, CSV exports and
    /// terminal output, and are never part of a real platform id). Returns the problem, or null.
    /// </summary>
    public static string? CheckIdentifier(string value, int maxLength = MaxIdLength)
    {
        if (value.Length == 0)
        {
            return "must not be empty";
        }
        if (value.Length > maxLength)
        {
            return $"is longer than {maxLength} characters (got {value.Length})";
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return $"contains a control character (U+{(int)value[i]:X4} at position {i + 1})";
            }
        }
        return null;
    }

    /// <summary>
    /// Checks a fingerprint, handle or display name: at most <see cref="MaxLabelLength"/> long, no
    /// control characters; unlike an identifier it may be empty. Returns the problem, or null.
    /// </summary>
    public static string? CheckLabel(string value) =>
        value.Length == 0 ? null : CheckIdentifier(value, MaxLabelLength);

    /// <summary>Checks a text: at most <see cref="MaxTextLength"/> long. Returns the problem, or null.</summary>
    public static string? CheckText(string value) =>
        value.Length > MaxTextLength ? $"is longer than {MaxTextLength} characters (got {value.Length})" : null;

    /// <summary>What a follower, following or post count must be, as error messages state it.</summary>
    public static string CountRule { get; } =
        $"must be a whole number from 0 to {MaxCount.ToString("N0", CultureInfo.InvariantCulture)}";

    /// <summary>Whether <paramref name="value"/> is an acceptable count: 0 to <see cref="MaxCount"/>.</summary>
    public static bool IsCount(long value) => value is >= 0 and <= MaxCount;

    /// <summary>
    /// A received value as an error message shows it: in double quotes, control characters escaped
    /// (so the message stays on one line), cut after <see cref="MaxQuotedLength"/> characters.
    /// </summary>
    public static string Quote(ReadOnlySpan<char> value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxQuotedLength) + 8);
        builder.Append('"');
        var shown = Math.Min(value.Length, MaxQuotedLength);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        if (shown < value.Length)
        {
            builder.Append('…');
        }
        builder.Append('"');
        return builder.ToString();
    }
}
