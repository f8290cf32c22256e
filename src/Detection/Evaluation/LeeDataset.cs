using System.Globalization;
using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Evaluation;

/// <summary>
/// Loads the social honeypot data of Lee, Eoff and Caverlee ("Seven months with the devils: a
/// long-term study of content polluters on Twitter", ICWSM 2011; <c>lee-2011/</c>) as signals:
/// content polluters are the inauthentic accounts (one group), legitimate users the organic ones.
/// </summary>
/// <remarks>
/// A tweet becomes a <see cref="SignalKind.Post"/> with its text and one hashtag, link and mention
/// signal per entry of those columns; a retweet becomes a <see cref="SignalKind.Repost"/> whose target
/// is <c>rt:</c> and the hash of its normalised text (the file has no tweet ids). Each account's
/// creation time and its follower, following and tweet counts from <c>accounts.csv.gz</c> ride on its
/// first signal as its profile (the file spells the following column <c>NumerOfFollowings</c>).
/// </remarks>
public static class LeeDataset
{
    /// <summary>The tweets file inside the data folder.</summary>
    public const string TweetsFile = "lee-2011/tweets.csv.gz";

    /// <summary>The profiles file inside the data folder.</summary>
    public const string AccountsFile = "lee-2011/accounts.csv.gz";

    /// <summary>The label of inauthentic accounts.</summary>
    public const string Polluter = "content_polluter";

    /// <summary>Loads both files under <paramref name="dataFolder"/>.</summary>
    public static LabelledDataset Load(string dataFolder)
    {
        var known = new Dictionary<string, AccountProfile>(StringComparer.Ordinal);
        using (var profiles = GzipCsv.Open(Path.Combine(dataFolder, AccountsFile), "UserID", "CreatedAt", "NumerOfFollowings", "NumberOfFollowers", "NumberOfTweets"))
        {
            int cId = profiles.Column("UserID"), cCreated = profiles.Column("CreatedAt"), cFollowing = profiles.Column("NumerOfFollowings"),
                cFollowers = profiles.Column("NumberOfFollowers"), cTweets = profiles.Column("NumberOfTweets");
            while (profiles.Next())
            {
                DateTimeOffset? created = DateTimeOffset.TryParse(profiles[cCreated], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var c) ? c : null;
                known.TryAdd(profiles[cId], new AccountProfile(created, null, null, Count(profiles[cFollowers]), Count(profiles[cFollowing]), Count(profiles[cTweets])));
            }
        }
        var signals = new List<Signal>(1 << 19);
        var label = new Dictionary<string, string>(StringComparer.Ordinal);
        var accounts = new HashSet<string>(StringComparer.Ordinal);
        using var csv = GzipCsv.Open(Path.Combine(dataFolder, TweetsFile), "account_id", "label", "created_at", "is_retweet", "hashtags", "urls", "mentions", "text");
        int cAccount = csv.Column("account_id"), cLabel = csv.Column("label"), cAt = csv.Column("created_at"), cRetweet = csv.Column("is_retweet"),
            cTags = csv.Column("hashtags"), cUrls = csv.Column("urls"), cMentions = csv.Column("mentions"), cText = csv.Column("text");
        var row = 0L;
        while (csv.Next())
        {
            row++;
            var account = csv[cAccount];
            if (account.Length == 0 || !DateTimeOffset.TryParse(csv[cAt], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                continue;
            }
            AccountProfile? profile = null;
            if (accounts.Add(account))
            {
                known.TryGetValue(account, out profile);
            }
            if (csv[cLabel] == Polluter)
            {
                label.TryAdd(account, Polluter);
            }
            var id = "lee-" + row.ToString(CultureInfo.InvariantCulture);
            var text = csv[cText];
            if (csv[cRetweet] == "1")
            {
                var normalized = TextNormalizer.Normalize(text.StartsWith("RT ", StringComparison.Ordinal) ? text[3..] : text);
                signals.Add(new Signal(id, account, SignalKind.Repost, "rt:" + TextNormalizer.Fingerprint(normalized), at, Profile: profile));
                continue;
            }
            signals.Add(new Signal(id, account, SignalKind.Post, id, at, text, Profile: profile));
            var i = 0;
            foreach (var (kind, list) in new[] { (SignalKind.Hashtag, csv[cTags]), (SignalKind.Link, csv[cUrls]), (SignalKind.Mention, csv[cMentions]) })
            {
                foreach (var item in list.Split(['|', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    signals.Add(new Signal(id + "#" + (i++).ToString(CultureInfo.InvariantCulture), account, kind, item, at));
                }
            }
        }
        return new LabelledDataset("lee-2011", signals, label, accounts.ToList());
    }

    private static long? Count(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
