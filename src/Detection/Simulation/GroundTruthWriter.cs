namespace Cib.Detection.Simulation;

/// <summary>Writes the ground truth of a simulation as CSV, for evaluations outside .NET.</summary>
public static class GroundTruthWriter
{
    /// <summary>
    /// Writes the header <c>account,role,group,kind</c> and one row per account: role is
    /// <c>campaign</c> or <c>organic</c>; group and kind name the campaign, or the organic events the
    /// account took part in (joined with ';' when several), and are empty for plain organic accounts.
    /// </summary>
    public static void WriteCsv(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);

        var events = new Dictionary<string, List<OrganicGroup>>(StringComparer.Ordinal);
        foreach (var group in result.OrganicGroups)
        {
            foreach (var account in group.Accounts)
            {
                if (!events.TryGetValue(account, out var list))
                {
                    events[account] = list = [];
                }
                list.Add(group);
            }
        }
        var campaigns = result.Campaigns.ToDictionary(c => c.Id, StringComparer.Ordinal);

        // No field needs quoting: ids, group ids and enum names never contain ',', '"' or newlines.
        writer.WriteLine("account,role,group,kind");
        foreach (var account in result.Accounts)
        {
            var campaignId = result.CampaignOf(account);
            if (campaignId is not null)
            {
                writer.WriteLine($"{account},campaign,{campaignId},{campaigns[campaignId].Kind}");
            }
            else if (events.TryGetValue(account, out var groups))
            {
                writer.WriteLine(
                    $"{account},organic,{string.Join(';', groups.Select(g => g.Id))},{string.Join(';', groups.Select(g => g.Kind))}");
            }
            else
            {
                writer.WriteLine($"{account},organic,,");
            }
        }
    }
}
