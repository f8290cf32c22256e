namespace Cib.Detection.Batch;

/// <summary>The coordination network toolkit's networks that <see cref="ToolkitNetworks"/> computes.</summary>
public enum ToolkitNetworkKind
{
    /// <summary>Messages reposting the same non-empty <c>repost_id</c>.</summary>
    CoRetweet,

    /// <summary>Messages that are not reposts, with equal text after normalisation.</summary>
    CoTweet,

    /// <summary>Messages that are not reposts, sharing a URL; a missing URL never matches.</summary>
    CoLink,
}

/// <summary>Names of <see cref="ToolkitNetworkKind"/> as the toolkit spells them.</summary>
public static class ToolkitNetworkKinds
{
    /// <summary>Every kind, in the toolkit's order.</summary>
    public static IReadOnlyList<ToolkitNetworkKind> All { get; } = [ToolkitNetworkKind.CoRetweet, ToolkitNetworkKind.CoTweet, ToolkitNetworkKind.CoLink];

    /// <summary>The toolkit's command name: <c>co_retweet</c>, <c>co_tweet</c> or <c>co_link</c>.</summary>
    public static string ToToolkitName(this ToolkitNetworkKind kind) => kind switch
    {
        ToolkitNetworkKind.CoRetweet => "co_retweet",
        ToolkitNetworkKind.CoTweet => "co_tweet",
        ToolkitNetworkKind.CoLink => "co_link",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown toolkit network kind."),
    };
}

/// <summary>
/// One directed edge of a toolkit network: <see cref="Weight"/> distinct messages of
/// <see cref="User1"/> were matched by another message of <see cref="User2"/> within the window.
/// <see cref="User1"/> equals <see cref="User2"/> for a self-loop.
/// </summary>
/// <param name="User1">The user whose messages are counted.</param>
/// <param name="User2">The user whose messages matched them.</param>
/// <param name="Weight">The count.</param>
public readonly record struct ToolkitEdge(string User1, string User2, int Weight);

/// <summary>The three networks of one input.</summary>
/// <param name="CoRetweet">co_retweet edges.</param>
/// <param name="CoTweet">co_tweet edges.</param>
/// <param name="CoLink">co_link edges.</param>
public sealed record ToolkitNetworkSet(IReadOnlyList<ToolkitEdge> CoRetweet, IReadOnlyList<ToolkitEdge> CoTweet, IReadOnlyList<ToolkitEdge> CoLink)
{
    /// <summary>The edges of one kind.</summary>
    public IReadOnlyList<ToolkitEdge> this[ToolkitNetworkKind kind] => kind switch
    {
        ToolkitNetworkKind.CoRetweet => CoRetweet,
        ToolkitNetworkKind.CoTweet => CoTweet,
        ToolkitNetworkKind.CoLink => CoLink,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown toolkit network kind."),
    };
}
