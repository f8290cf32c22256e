namespace Cib.Detection.Simulation;

/// <summary>
/// What <see cref="PlatformSimulator"/> generates: how many accounts, which planted campaigns and
/// which organic look-alikes, over which span of time. The defaults describe one day of a
/// mid-sized community (about 5,000 accounts and a few hundred thousand signals).
/// </summary>
public sealed record SimulationOptions
{
    /// <summary>Seed of every random choice; the same options give the same signals. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Start of the simulated span (inclusive). Default 2026-01-05T00:00:00Z, a Monday.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Length of the simulated span; signals fall in [Start, Start + Duration). Between
    /// 1 hour and 31 days. Default 1 day.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Number of ordinary accounts (fans, idols and burst participants are drawn from them).
    /// At least 50. Default 5,000.</summary>
    public int OrganicAccounts { get; init; } = 5000;

    /// <summary>Number of planted campaigns; their kinds cycle through <see cref="CampaignKinds"/>.
    /// Default 6.</summary>
    public int Campaigns { get; init; } = 6;

    /// <summary>Smallest campaign (accounts). At least 2. Default 15.</summary>
    public int MinCampaignSize { get; init; } = 15;

    /// <summary>Largest campaign (accounts). At least <see cref="MinCampaignSize"/>. Default 40.</summary>
    public int MaxCampaignSize { get; init; } = 40;

    /// <summary>Probability that a campaign member takes part in a given campaign event, in (0, 1].
    /// Default 0.8.</summary>
    public double Participation { get; init; } = 0.8;

    /// <summary>Members act at event start plus a uniform delay in [0, CampaignJitter]. At least 0
    /// and under 1/20 of <see cref="Duration"/>. Default 90 seconds.</summary>
    public TimeSpan CampaignJitter { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Whether campaign accounts also act like ordinary accounts between campaign events,
    /// as real operations do to look authentic. Default true.</summary>
    public bool Camouflage { get; init; } = true;

    /// <summary>The kinds planted campaigns cycle through, in order. Default the four everyday kinds:
    /// coordinated repost, link pushing, copy-paste text, hashtag push (content farms and follow
    /// trains are opt-in).</summary>
    public IReadOnlyList<CampaignKind> CampaignKinds { get; init; } =
        [CampaignKind.CoordinatedRepost, CampaignKind.LinkPushing, CampaignKind.CopyPasteText, CampaignKind.HashtagPush];

    /// <summary>Events per campaign per day; null (the default) draws 10 to 20 a day. A low rate over
    /// several days is a slow-burn campaign, whose pairs meet rarely on any one day. In (0, 100].</summary>
    public double? EventsPerDay { get; init; }

    /// <summary>Multiplies the everyday (camouflage) activity rate of campaign accounts, so that their
    /// coordinated actions are a smaller share of what they do; in (0, 100]. Default 1.</summary>
    public double CamouflageScale { get; init; } = 1.0;

    /// <summary>Number of organic viral bursts (an ordinary post reposted by hundreds within an
    /// hour). Default 3.</summary>
    public int ViralBursts { get; init; } = 3;

    /// <summary>Number of organic fan communities (fans reacting to every post of an idol).
    /// Default 2.</summary>
    public int FanCommunities { get; init; } = 2;

    /// <summary>Number of organic news bursts (hundreds share a breaking-news link within an hour).
    /// Default 2.</summary>
    public int NewsBursts { get; init; } = 2;

    /// <summary>Number of organic meme waves (an image and caption re-posted by hundreds over a few
    /// hours, each copy re-encoded and lightly edited). Default 0: the look-alike of media and
    /// paraphrase farms, opt-in so that the other scenarios keep their signals.</summary>
    public int MemeWaves { get; init; }

    /// <summary>Multiplies every account's activity rate; in (0, 100]. Default 1.</summary>
    public double ActivityScale { get; init; } = 1.0;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first option out of range and its
    /// allowed range.
    /// </summary>
    public void Validate()
    {
        if (Duration < TimeSpan.FromHours(1) || Duration > TimeSpan.FromDays(31))
        {
            throw Invalid(nameof(Duration), $"must be between 1 hour and 31 days (got {Duration})");
        }
        if (OrganicAccounts < 50)
        {
            throw Invalid(nameof(OrganicAccounts), $"must be at least 50 (got {OrganicAccounts})");
        }
        if (Campaigns < 0)
        {
            throw Invalid(nameof(Campaigns), $"must be 0 or more (got {Campaigns})");
        }
        if (MinCampaignSize < 2)
        {
            throw Invalid(nameof(MinCampaignSize), $"must be at least 2 (got {MinCampaignSize})");
        }
        if (MaxCampaignSize < MinCampaignSize)
        {
            throw Invalid(nameof(MaxCampaignSize),
                $"must be at least MinCampaignSize ({MinCampaignSize}) (got {MaxCampaignSize})");
        }
        if (!(Participation > 0 && Participation <= 1))
        {
            throw Invalid(nameof(Participation), $"must be in (0, 1] (got {Participation})");
        }
        if (CampaignJitter < TimeSpan.Zero || CampaignJitter >= Duration / 20)
        {
            throw Invalid(nameof(CampaignJitter),
                $"must be at least 0 and under Duration / 20 ({Duration / 20}) (got {CampaignJitter})");
        }
        if (CampaignKinds is null || CampaignKinds.Count == 0)
        {
            throw Invalid(nameof(CampaignKinds), "must name at least one campaign kind");
        }
        if (EventsPerDay is { } perDay && !(perDay > 0 && perDay <= 100))
        {
            throw Invalid(nameof(EventsPerDay), $"must be in (0, 100] or null (got {perDay})");
        }
        if (!(CamouflageScale > 0 && CamouflageScale <= 100))
        {
            throw Invalid(nameof(CamouflageScale), $"must be in (0, 100] (got {CamouflageScale})");
        }
        if (ViralBursts < 0)
        {
            throw Invalid(nameof(ViralBursts), $"must be 0 or more (got {ViralBursts})");
        }
        if (FanCommunities < 0)
        {
            throw Invalid(nameof(FanCommunities), $"must be 0 or more (got {FanCommunities})");
        }
        if (MemeWaves < 0)
        {
            throw Invalid(nameof(MemeWaves), $"must be 0 or more (got {MemeWaves})");
        }
        if (NewsBursts < 0)
        {
            throw Invalid(nameof(NewsBursts), $"must be 0 or more (got {NewsBursts})");
        }
        if (!(ActivityScale > 0 && ActivityScale <= 100))
        {
            throw Invalid(nameof(ActivityScale), $"must be in (0, 100] (got {ActivityScale})");
        }
    }

    private static ArgumentException Invalid(string option, string problem) =>
        new($"SimulationOptions.{option} {problem}.", option);
}
