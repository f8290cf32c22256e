namespace Cib.Detection.Simulation;

/// <summary>The coordinated behaviour a planted campaign performs at each of its events.</summary>
public enum CampaignKind
{
    /// <summary>Members repost the same campaign-owned, otherwise unpopular post within seconds.</summary>
    CoordinatedRepost,

    /// <summary>Members post the same fresh URL, each with their own short text.</summary>
    LinkPushing,

    /// <summary>Members post the same text with superficial variation (case, whitespace, a leading
    /// @mention) that normalisation removes.</summary>
    CopyPasteText,

    /// <summary>Members post template text carrying the same campaign hashtags.</summary>
    HashtagPush,

    /// <summary>A copy-paste content farm: members post the same headline with the same farm link,
    /// spread over twice the campaign jitter.</summary>
    ContentFarm,

    /// <summary>A follow train: members follow the same list of accounts (the train's riders and a
    /// few outsiders being promoted) within minutes of one another.</summary>
    FollowTrain,

    /// <summary>A paraphrasing content farm: members post the same headline, each reworded (about
    /// one word in eight replaced, sometimes the last dropped), with no shared link, so that only
    /// near-duplicate text ties them.</summary>
    ParaphraseFarm,

    /// <summary>A media farm: members post the same image, each copy re-encoded (its 64-bit perceptual
    /// hash differs in 1 to 4 bits), with their own words.</summary>
    MediaFarm,
}
