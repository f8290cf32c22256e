namespace Cib.Detection.Simulation;

/// <summary>One burst of a campaign: members act on <paramref name="Target"/> from
/// <paramref name="Start"/> to <paramref name="Start"/> + jitter.</summary>
internal sealed record CampaignEvent(string CampaignId, DateTimeOffset Start, string Target);
