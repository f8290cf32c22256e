using Cib.Detection.Simulation;

namespace Cib.Detection.Evaluation;

/// <summary>A named simulator setting that stresses one weakness of co-activity detection.</summary>
/// <param name="Name">Short name for tables and <c>--scenarios</c>.</param>
/// <param name="Description">What is hard about it.</param>
/// <param name="Options">The simulation.</param>
public sealed record EvaluationScenario(string Name, string Description, SimulationOptions Options)
{
    /// <summary>Simulates the scenario and labels every campaign account with its campaign.</summary>
    public LabelledDataset Build()
    {
        var sim = PlatformSimulator.Run(Options);
        var groupOf = sim.Campaigns.SelectMany(c => c.Accounts.Select(a => (a, c.Id))).ToDictionary(x => x.a, x => x.Id, StringComparer.Ordinal);
        return new LabelledDataset(Name, sim.Signals, groupOf, sim.Accounts);
    }
}

/// <summary>The synthetic scenarios of <c>cib eval</c>, each a variation of the default simulated day.</summary>
public static class EvaluationScenarios
{
    /// <summary>Every scenario, in table order.</summary>
    public static IReadOnlyList<EvaluationScenario> All { get; } =
    [
        new("default", "the default simulated day: 6 campaigns of 4 kinds, 3 viral bursts, 2 fan communities, 2 news bursts", new SimulationOptions()),
        new("camouflage", "campaign accounts also act like ordinary accounts, at three times the usual rate", new SimulationOptions { Seed = 101, CamouflageScale = 3 }),
        new("time-jitter", "members act up to 3 minutes after the event start instead of 90 s", new SimulationOptions { Seed = 102, CampaignJitter = TimeSpan.FromMinutes(3) }),
        new("partial-participation", "each member takes part in half of the campaign's events", new SimulationOptions { Seed = 103, Participation = 0.5 }),
        new("slow-burn", "campaigns act 3 times a day over 4 days instead of 10 to 20 times in one", new SimulationOptions { Seed = 104, Duration = TimeSpan.FromDays(4), OrganicAccounts = 2000, EventsPerDay = 3 }),
        new("content-farms", "copy-paste content farms: the same headline and farm link posted by every member, minutes apart", new SimulationOptions { Seed = 105, CampaignKinds = [CampaignKind.ContentFarm] }),
        new("paraphrase-farms", "paraphrasing content farms: each member posts the campaign's headline reworded, no shared link; six organic meme waves re-post lightly edited captions", new SimulationOptions { Seed = 110, CampaignKinds = [CampaignKind.ParaphraseFarm], MemeWaves = 6 }),
        new("media-farms", "media farms: members post re-encoded copies of the same image with their own words; six organic meme waves re-post re-encoded images", new SimulationOptions { Seed = 111, CampaignKinds = [CampaignKind.MediaFarm], MemeWaves = 6 }),
        new("follow-trains", "follow trains: members follow the same list of accounts within minutes", new SimulationOptions { Seed = 106, CampaignKinds = [CampaignKind.FollowTrain] }),
        new("viral-events", "ten organic viral bursts", new SimulationOptions { Seed = 107, ViralBursts = 10 }),
        new("fan-communities", "six organic fan communities", new SimulationOptions { Seed = 108, FanCommunities = 6 }),
        new("news-bursts", "ten organic news bursts", new SimulationOptions { Seed = 109, NewsBursts = 10 }),
    ];

    /// <summary>The scenario named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static EvaluationScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
