using Cib.Detection.Networks;
using Cib.Detection.Signals;

namespace Cib.Detection.Scoring;

/// <summary>
/// What the member layer (<see cref="MemberLayer"/>) knows of one account: its profile counts and the
/// mix of its actions. A network's features describe the group; these describe one member, so that a
/// member who only happened to share a popular link with the group can be told apart from one who acts
/// like the rest of it.
/// </summary>
/// <remarks>
/// Counts go in as ln(1 + n), so that an account with 20,000 followers is not a thousand times one with
/// 20. Lee, Eoff and Caverlee (ICWSM 2011) found the following/follower balance the strongest single
/// sign of a content polluter (polluters follow many to be followed back), hence its own feature.
/// Unknown counts are 0 with <c>counts_known</c> = 0, so the layer learns what a missing profile means
/// instead of reading it as an account with no followers.
/// </remarks>
public static class MemberFeatures
{
    /// <summary>Feature names, in row order.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "log_followers",
        "log_following",
        "following_over_followers",
        "log_declared_posts",
        "counts_known",
        "links_per_post",
        "hashtags_per_post",
        "mentions_per_post",
        "repost_share",
        "log_actions",
    ];

    /// <summary>The row of <paramref name="account"/>.</summary>
    /// <remarks>
    /// log_x = ln(1 + x) of the platform's count (0 when unknown);
    /// following_over_followers = ln(1 + following) − ln(1 + followers);
    /// counts_known = 1 when the followers or following count is known, else 0;
    /// links_per_post, hashtags_per_post, mentions_per_post = link, hashtag, mention signals / max(1, p), with
    /// p = posts + reposts + replies seen; repost_share = reposts / max(1, p);
    /// log_actions = ln(1 + actions seen).
    /// </remarks>
    public static double[] Compute(AccountFeatures account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var followers = Log(account.Followers);
        var following = Log(account.Following);
        long Kind(SignalKind k) => (int)k < account.ActionsByKind.Count ? account.ActionsByKind[(int)k] : 0;
        var posts = Math.Max(1, Kind(SignalKind.Post) + Kind(SignalKind.Repost) + Kind(SignalKind.Reply));
        return
        [
            followers,
            following,
            following - followers,
            Log(account.DeclaredPosts),
            account.Followers is null && account.Following is null ? 0 : 1,
            Kind(SignalKind.Link) / (double)posts,
            Kind(SignalKind.Hashtag) / (double)posts,
            Kind(SignalKind.Mention) / (double)posts,
            Kind(SignalKind.Repost) / (double)posts,
            Math.Log(1 + Math.Max(0, account.Actions)),
        ];
    }

    private static double Log(long? count) => count is { } n && n > 0 ? Math.Log(1 + (double)n) : 0;
}
