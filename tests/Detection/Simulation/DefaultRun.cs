using System.Text.RegularExpressions;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

/// <summary>One default-options run shared by the tests that only read it, since a run takes a second.</summary>
internal static partial class DefaultRun
{
    private static readonly Lazy<SimulationResult> Shared = new(() => PlatformSimulator.Run(new SimulationOptions()));

    public static SimulationResult Result => Shared.Value;

    public static SimulationOptions Options { get; } = new();

    /// <summary>What a copy-paste detector would do: lower case, drop leading @mentions, collapse
    /// whitespace.</summary>
    public static string Normalise(string text)
    {
        var lowered = Whitespace().Replace(text.ToLowerInvariant(), " ").Trim();
        return LeadingMentions().Replace(lowered, "");
    }

    /// <summary>Signals of a campaign's members that act on the event's target inside its window.</summary>
    public static IEnumerable<Signal> ActingOn(SimulationResult result, PlantedCampaign campaign, CampaignEvent e, TimeSpan jitter)
    {
        var from = e.Start - TimeSpan.FromMilliseconds(1);
        var to = e.Start + jitter + TimeSpan.FromMilliseconds(1);
        return result.Signals.Where(s => s.Timestamp >= from && s.Timestamp <= to && campaign.Kind switch
        {
            CampaignKind.CoordinatedRepost => s.Kind == SignalKind.Repost && s.Target == e.Target,
            CampaignKind.LinkPushing => s.Kind == SignalKind.Link && s.Target == e.Target,
            CampaignKind.CopyPasteText => s.Kind == SignalKind.Post && Normalise(s.Text!) == Normalise(e.Target),
            _ => s.Kind == SignalKind.Hashtag && s.Target == e.Target,
        });
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(@\S+ )+")]
    private static partial Regex LeadingMentions();
}
