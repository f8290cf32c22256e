using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>How one account behaves: its rates, rhythm, reach and habits. Drawn once, then fixed.</summary>
internal sealed class SimulatedAccount
{
    public required string Id { get; init; }

    public required AccountProfile Profile { get; init; }

    /// <summary>Mean actions per day before <see cref="SimulationOptions.ActivityScale"/>.</summary>
    public required double DailyRate { get; init; }

    /// <summary>Offset of the account's local time from UTC, in hours.</summary>
    public required double TimeZoneHours { get; init; }

    /// <summary>Local hour at which the account is most active.</summary>
    public required double PeakHour { get; init; }

    /// <summary>Depth of the daily rhythm in [0, 1): rate at hour h is proportional to
    /// 1 + A·cos(2π(h − peak)/24).</summary>
    public required double Amplitude { get; init; }

    /// <summary>Reach (a stand-in for followers): heavy-tailed, drives how often others engage with
    /// the account's posts and follow it.</summary>
    public required double Fame { get; set; }

    /// <summary>Cumulative probabilities of like, repost, post, reply and follow, in that order.</summary>
    public required double[] ActionMix { get; init; }

    public required double HashtagProbability { get; init; }

    public required double LinkProbability { get; init; }

    /// <summary>Indices into the lexicon's hashtags: the topics this account tags.</summary>
    public required int[] Interests { get; init; }

    /// <summary>Tag of the fandom the account belongs to, if any.</summary>
    public string? FandomTag { get; set; }

    /// <summary>Index of the account's campaign, or −1 for organic accounts.</summary>
    public int Campaign { get; init; } = -1;

    /// <summary>Relative rate at <paramref name="utcHour"/> (hours since midnight UTC), mean 1 over a day.</summary>
    public double Rhythm(double utcHour) =>
        1 + Amplitude * Math.Cos(2 * Math.PI * (utcHour + TimeZoneHours - PeakHour) / 24);
}
