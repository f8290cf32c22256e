namespace Cib.Detection.Simulation;

/// <summary>Ground truth of one planted campaign.</summary>
/// <param name="Id">Stable id, "campaign-1", "campaign-2", ...</param>
/// <param name="Kind">What the members do together.</param>
/// <param name="Accounts">Member account ids.</param>
/// <param name="Targets">What the members act on, one per event in event order except for
/// <see cref="CampaignKind.HashtagPush"/>: post ids (coordinated repost), URLs (link pushing),
/// the text before variation (copy-paste), the campaign hashtags without '#' (hashtag push), the
/// headline (content farm), the first account listed (follow train).</param>
public sealed record PlantedCampaign(string Id, CampaignKind Kind, IReadOnlyList<string> Accounts, IReadOnlyList<string> Targets);
