using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>Signals of one simulated span and the ground truth that explains them.</summary>
public sealed class SimulationResult
{
    private readonly Dictionary<string, PlantedCampaign> _campaignByAccount;

    internal SimulationResult(
        IReadOnlyList<Signal> signals,
        IReadOnlyList<PlantedCampaign> campaigns,
        IReadOnlyList<OrganicGroup> organicGroups,
        IReadOnlyList<string> accounts,
        IReadOnlyList<CampaignEvent> campaignEvents)
    {
        Signals = signals;
        Campaigns = campaigns;
        OrganicGroups = organicGroups;
        Accounts = accounts;
        CampaignEvents = campaignEvents;
        _campaignByAccount = new Dictionary<string, PlantedCampaign>(StringComparer.Ordinal);
        foreach (var campaign in campaigns)
        {
            foreach (var account in campaign.Accounts)
            {
                _campaignByAccount[account] = campaign;
            }
        }
    }

    /// <summary>All signals, ordered by timestamp; ids are unique.</summary>
    public IReadOnlyList<Signal> Signals { get; }

    /// <summary>Planted campaigns, the accounts a detector should find.</summary>
    public IReadOnlyList<PlantedCampaign> Campaigns { get; }

    /// <summary>Organic look-alikes, accounts a detector should leave alone.</summary>
    public IReadOnlyList<OrganicGroup> OrganicGroups { get; }

    /// <summary>Every account, organic and campaign, in ordinal order of id.</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>Each campaign event: when it started and what it targeted.</summary>
    internal IReadOnlyList<CampaignEvent> CampaignEvents { get; }

    /// <summary>Whether the account belongs to a planted campaign.</summary>
    public bool IsCampaignAccount(string account) => _campaignByAccount.ContainsKey(account);

    /// <summary>Id of the campaign the account belongs to, or null for organic accounts.</summary>
    public string? CampaignOf(string account) =>
        _campaignByAccount.TryGetValue(account, out var campaign) ? campaign.Id : null;
}
