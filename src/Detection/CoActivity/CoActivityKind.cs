namespace Cib.Detection.CoActivity;

/// <summary>The kinds of co-activity evidence: two accounts did the same thing to the same target.</summary>
public enum CoActivityKind
{
    /// <summary>Reposted the same post.</summary>
    CoRepost,
    /// <summary>Replied to the same post.</summary>
    CoReply,
    /// <summary>Liked the same post.</summary>
    CoLike,
    /// <summary>Followed the same account.</summary>
    CoFollow,
    /// <summary>Mentioned the same account.</summary>
    CoMention,
    /// <summary>Shared the same (canonical) URL.</summary>
    CoLink,
    /// <summary>Used the same hashtag.</summary>
    CoHashtag,
    /// <summary>Posted the same text after normalisation.</summary>
    CoText,
    /// <summary>Posted content with the same platform-supplied fingerprint.</summary>
    CoFingerprint,
    /// <summary>Posted different but near-duplicate texts: MinHash-estimated Jaccard similarity of their
    /// word-bigram sets at least <see cref="CoActivityOptions.NearTextMinSimilarity"/> (<see cref="TextSketch"/>).</summary>
    CoNearText,
    /// <summary>Posted media whose 64-bit perceptual hashes differ in at most
    /// <see cref="CoActivityOptions.MediaMaxDistance"/> bits, but not in none (<see cref="PerceptualHash"/>).</summary>
    CoMedia,
    /// <summary>Used the same ordered sequence of two or more hashtags in one post.</summary>
    CoHashtagSequence,
}

/// <summary>Wire names of <see cref="CoActivityKind"/>.</summary>
public static class CoActivityKinds
{
    private static readonly string[] Names = ["co-repost", "co-reply", "co-like", "co-follow", "co-mention", "co-link", "co-hashtag", "co-text", "co-fingerprint", "co-near-text", "co-media", "co-hashtag-sequence"];

    /// <summary>Number of kinds.</summary>
    public const int Count = 12;

    /// <summary>The wire name, for example <c>co-repost</c>.</summary>
    public static string ToWire(this CoActivityKind kind) => Names[(int)kind];

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string? name, out CoActivityKind kind)
    {
        var i = Array.FindIndex(Names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        kind = (CoActivityKind)Math.Max(i, 0);
        return i >= 0;
    }
}
