using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

public sealed class GroundTruthWriterTests
{
    [Fact]
    public void Csv_has_one_row_per_account_with_its_role_group_and_kind()
    {
        var result = DefaultRun.Result;
        using var writer = new StringWriter();

        GroundTruthWriter.WriteCsv(writer, result);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], StringComparer.Ordinal);

        Assert.Equal("account,role,group,kind", lines[0]);
        Assert.Equal(result.Accounts.Count, rows.Count);
        Assert.All(rows.Values, f => Assert.Equal(4, f.Length));
        foreach (var campaign in result.Campaigns)
        {
            Assert.All(campaign.Accounts, a => Assert.Equal(["campaign", campaign.Id, campaign.Kind.ToString()], rows[a][1..]));
        }
        var viral = result.OrganicGroups.First(g => g.Kind == OrganicEventKind.ViralBurst);
        Assert.All(viral.Accounts, a => Assert.Equal("organic", rows[a][1]));
        Assert.All(viral.Accounts, a => Assert.Contains(viral.Id, rows[a][2].Split(';')));
        var grouped = result.OrganicGroups.SelectMany(g => g.Accounts).ToHashSet(StringComparer.Ordinal);
        var plain = result.Accounts.Where(a => !grouped.Contains(a) && !result.IsCampaignAccount(a)).ToList();
        Assert.NotEmpty(plain);
        Assert.All(plain, a => Assert.Equal(["organic", "", ""], rows[a][1..]));
    }
}
