using System.Globalization;

namespace Cib.Grains.Ingest;

/// <summary>
/// How far a replay of the signal log has come, as the pump logs it every <see cref="Interval"/> while a restarted silo
/// rebuilds its co-activity state (minutes for a log of tens of millions of signals), so that an operator sees it move
/// and when it should end instead of a silence between "replaying" and "replayed".
/// </summary>
public static class ReplayProgress
{
    /// <summary>Time between two progress lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// "1,200,000 of 10,000,000 signals applied (12.0 %), 48,000 a second, about 3 min 3 s left": the estimate from the rate
    /// so far, left out while nothing has been applied. <paramref name="first"/> is the sequence number the replay started
    /// after (0 for a whole log), <paramref name="applied"/> the last applied, <paramref name="target"/> the log's head
    /// when the replay began.
    /// </summary>
    public static string Describe(long first, long applied, long target, TimeSpan elapsed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(target, first);
        var total = target - first;
        var done = Math.Clamp(applied - first, 0, total);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{done:N0} of {total:N0} signals applied ({(total == 0 ? 100 : 100.0 * done / total):F1} %)");
        if (done == 0 || elapsed <= TimeSpan.Zero)
        {
            return text;
        }
        var rate = done / elapsed.TotalSeconds;
        var left = TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate));
        return string.Create(CultureInfo.InvariantCulture, $"{text}, {rate:N0} a second, about {Duration(left)} left");
    }

    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s"
        : $"{t.Seconds} s";
}
