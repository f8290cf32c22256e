namespace Cib.Detection.Signals;

/// <summary>What an account did. The kind decides which co-activity window applies.</summary>
public enum SignalKind
{
    Post,
    Repost,
    Reply,
    Like,
    Follow,
    Mention,
    Link,
    Hashtag,
}

/// <summary>Profile fields an ingest record may carry; all optional.</summary>
/// <param name="CreatedAt">When the account was created.</param>
/// <param name="Handle">Its handle (screen name).</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="Followers">How many accounts follow it, as the platform counted when the record was made.</param>
/// <param name="Following">How many accounts it follows, likewise.</param>
/// <param name="Posts">How many posts it has made in all, likewise (not only those sent to Cib).</param>
public sealed record AccountProfile(DateTimeOffset? CreatedAt, string? Handle, string? DisplayName,
    long? Followers = null, long? Following = null, long? Posts = null);

/// <summary>
/// One interaction on the platform: <paramref name="Account"/> did <paramref name="Kind"/> to
/// <paramref name="Target"/> at <paramref name="Timestamp"/>. <paramref name="Id"/> is unique per
/// interaction; a repeated id is the same interaction sent again.
/// </summary>
/// <param name="Id">Caller-chosen unique id (ingest de-duplicates on it).</param>
/// <param name="Account">Acting account id.</param>
/// <param name="Kind">What the account did.</param>
/// <param name="Target">What it acted on: a post id (repost, reply, like), an account (follow,
/// mention), a URL (link), a hashtag without '#', or the post's own id (post).</param>
/// <param name="Timestamp">When, UTC.</param>
/// <param name="Text">Text of the post or reply, if any.</param>
/// <param name="Fingerprint">Content fingerprint supplied by the platform (for example a
/// perceptual hash of media), if any.</param>
/// <param name="Profile">Account profile fields, if the record carries them.</param>
public sealed record Signal(
    string Id,
    string Account,
    SignalKind Kind,
    string Target,
    DateTimeOffset Timestamp,
    string? Text = null,
    string? Fingerprint = null,
    AccountProfile? Profile = null);
