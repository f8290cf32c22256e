namespace Cib.Detection.Simulation;

/// <summary>Authentic mass behaviour that a naive co-activity detector would mistake for a campaign.</summary>
public enum OrganicEventKind
{
    /// <summary>An ordinary post reposted and liked by hundreds within an hour.</summary>
    ViralBurst,

    /// <summary>Fans reposting and liking most posts of an idol account, and sharing a fandom hashtag.</summary>
    FanCommunity,

    /// <summary>A breaking-news URL shared by hundreds within an hour, each with their own text.</summary>
    NewsBurst,

    /// <summary>A meme (an image and its caption) re-posted by hundreds over hours, each copy re-encoded
    /// and the caption lightly edited: near-duplicate media and text without coordination.</summary>
    MemeWave,
}
