using Cib.Detection.Signals;

namespace Cib.Detection.Simulation;

/// <summary>
/// Generates a span of platform activity with planted campaigns and organic look-alikes, and the
/// ground truth for both. Deterministic: the same options give the same result.
/// </summary>
public static class PlatformSimulator
{
    // One random stream per stage, so that changing how one stage draws leaves the others alone.
    private const ulong LexiconStream = 1, AccountStream = 2, LinkStream = 3, IdStream = 4,
        ActivityStream = 5, EventStream = 6, CampaignStream = 7;

    private static readonly double[] CampaignTimeZones = [3, 3, 4, 5.5, 8, -3, 1, 2];

    /// <summary>Runs the simulation described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public static SimulationResult Run(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var lexicon = new Lexicon(new SeededRandom(options.Seed, LexiconStream));
        var links = new LinkPool(new SeededRandom(options.Seed, LinkStream), lexicon);
        var sink = new SignalSink(new SeededRandom(options.Seed, IdStream), options.Start, options.Duration);

        var accountRandom = new SeededRandom(options.Seed, AccountStream);
        var factory = new AccountFactory(accountRandom, lexicon, options.Start);
        var organic = new List<SimulatedAccount>(options.OrganicAccounts);
        for (var i = 0; i < options.OrganicAccounts; i++)
        {
            organic.Add(factory.Organic());
        }
        var members = new List<List<SimulatedAccount>>(options.Campaigns);
        for (var c = 0; c < options.Campaigns; c++)
        {
            // Operations register their accounts in batches, weeks to months before they use them.
            var burst = options.Start - TimeSpan.FromDays(accountRandom.Uniform(15, 240));
            var timeZone = accountRandom.Pick(CampaignTimeZones);
            var size = accountRandom.Next(options.MinCampaignSize, options.MaxCampaignSize);
            var campaign = new List<SimulatedAccount>(size);
            for (var m = 0; m < size; m++)
            {
                campaign.Add(factory.CampaignMember(c, burst, timeZone));
            }
            members.Add(campaign);
        }
        var all = organic.Concat(members.SelectMany(m => m)).ToList();

        var events = new OrganicEvents(new SeededRandom(options.Seed, EventStream), lexicon, sink, organic);
        var fandoms = events.FormFandoms(options.FanCommunities);

        var activity = new OrganicActivity(new SeededRandom(options.Seed, ActivityStream), lexicon, links, sink, all, options.Start, options.ActivityScale, options.CamouflageScale);
        var actors = options.Camouflage ? all.Count : organic.Count;
        activity.Run(Enumerable.Range(0, actors));

        var groups = new List<OrganicGroup>();
        for (var i = 0; i < options.ViralBursts; i++)
        {
            groups.Add(events.RunViral($"viral-{i + 1}", activity));
        }
        for (var i = 0; i < fandoms.Count; i++)
        {
            groups.Add(events.RunFandom($"fans-{i + 1}", fandoms[i], activity));
        }
        for (var i = 0; i < options.NewsBursts; i++)
        {
            groups.Add(events.RunNews($"news-{i + 1}", activity, links));
        }
        for (var i = 0; i < options.MemeWaves; i++)
        {
            groups.Add(events.RunMemeWave($"meme-{i + 1}", activity));
        }

        var planner = new CampaignPlanner(new SeededRandom(options.Seed, CampaignStream), lexicon, links, sink, activity, options);
        var kinds = options.CampaignKinds;
        var campaigns = new List<PlantedCampaign>(options.Campaigns);
        var campaignEvents = new List<CampaignEvent>();
        for (var c = 0; c < options.Campaigns; c++)
        {
            campaigns.Add(planner.Run($"campaign-{c + 1}", kinds[c % kinds.Count], members[c], campaignEvents));
        }

        var profiles = all.ToDictionary(a => a.Id, a => a.Profile, StringComparer.Ordinal);
        var signals = sink.Build(profiles);
        var accounts = all.Select(a => a.Id).Order(StringComparer.Ordinal).ToList();
        return new SimulationResult(signals, campaigns, groups, accounts, campaignEvents);
    }
}
