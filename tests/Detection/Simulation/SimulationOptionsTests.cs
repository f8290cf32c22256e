using Cib.Detection.Simulation;

namespace Cib.Detection.Tests.Simulation;

public sealed class SimulationOptionsTests
{
    public static TheoryData<string, SimulationOptions> Invalid => new()
    {
        { nameof(SimulationOptions.Duration), new() { Duration = TimeSpan.FromMinutes(30) } },
        { nameof(SimulationOptions.Duration), new() { Duration = TimeSpan.FromDays(40) } },
        { nameof(SimulationOptions.OrganicAccounts), new() { OrganicAccounts = 10 } },
        { nameof(SimulationOptions.Campaigns), new() { Campaigns = -1 } },
        { nameof(SimulationOptions.MinCampaignSize), new() { MinCampaignSize = 1 } },
        { nameof(SimulationOptions.MaxCampaignSize), new() { MinCampaignSize = 20, MaxCampaignSize = 10 } },
        { nameof(SimulationOptions.Participation), new() { Participation = 0 } },
        { nameof(SimulationOptions.Participation), new() { Participation = 1.5 } },
        { nameof(SimulationOptions.Participation), new() { Participation = double.NaN } },
        { nameof(SimulationOptions.CampaignJitter), new() { CampaignJitter = TimeSpan.FromSeconds(-1) } },
        { nameof(SimulationOptions.CampaignJitter), new() { CampaignJitter = TimeSpan.FromHours(2) } },
        { nameof(SimulationOptions.ViralBursts), new() { ViralBursts = -1 } },
        { nameof(SimulationOptions.FanCommunities), new() { FanCommunities = -2 } },
        { nameof(SimulationOptions.NewsBursts), new() { NewsBursts = -1 } },
        { nameof(SimulationOptions.ActivityScale), new() { ActivityScale = 0 } },
        { nameof(SimulationOptions.ActivityScale), new() { ActivityScale = double.PositiveInfinity } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Out_of_range_option_is_rejected_by_name(string option, SimulationOptions options)
    {
        var error = Assert.Throws<ArgumentException>(() => PlatformSimulator.Run(options));

        Assert.Equal(option, error.ParamName);
        Assert.Contains($"SimulationOptions.{option}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        new SimulationOptions().Validate();
    }

    [Fact]
    public void Options_without_campaigns_or_events_give_plain_organic_activity()
    {
        var result = PlatformSimulator.Run(new() { OrganicAccounts = 50, Campaigns = 0, ViralBursts = 0, FanCommunities = 0, NewsBursts = 0, Duration = TimeSpan.FromHours(1) });

        Assert.Empty(result.Campaigns);
        Assert.Empty(result.OrganicGroups);
        Assert.Equal(50, result.Accounts.Count);
        Assert.NotEmpty(result.Signals);
    }

    [Fact]
    public void Small_communities_still_get_every_requested_event()
    {
        var result = PlatformSimulator.Run(new() { OrganicAccounts = 200, ViralBursts = 2, NewsBursts = 2, FanCommunities = 2 });

        Assert.Equal(6, result.OrganicGroups.Count);
        Assert.All(result.OrganicGroups, g => Assert.True(g.Accounts.Count > 10));
    }
}
