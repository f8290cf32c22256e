using System.Globalization;
using System.Text.RegularExpressions;
using Cib.Detection.CoActivity;
using Cib.Detection.Signals;
using Cib.Detection.Simulation;

namespace Cib.Detection.Evaluation;

/// <summary>Which part of the IRA 2016 tweets to load.</summary>
public sealed record IraLoadOptions
{
    /// <summary>First publish time loaded (inclusive); null for the start of the file.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Publish times before this are loaded; null for the end of the file.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>An operation account needs at least this many retweets in the loaded span to count
    /// towards coverage (default 20, as issue 3 measures it).</summary>
    public int MinRetweetsForCoverage { get; init; } = 20;
}

/// <summary>
/// Loads the Internet Research Agency tweets of 2016 (FiveThirtyEight / Clemson University, Linvill
/// and Warren, "Troll factories", 2018; <c>ira-2016/tweets.csv.gz</c>) as signals, each account
/// labelled with its IRA category.
/// </summary>
/// <remarks>
/// The file has no tweet ids, so a retweet cannot name the post it amplifies: it becomes a
/// <see cref="SignalKind.Repost"/> whose target is <c>rt:</c> and the hash of its normalised content
/// (<see cref="TextNormalizer"/>, after a leading <c>RT @user:</c> is removed), so that two retweets of
/// the same tweet share a target. An original tweet becomes a <see cref="SignalKind.Post"/> with its
/// text and one hashtag, link and mention signal per entry of those columns. A retweet carries the
/// original's hashtags, links and mentions; they are not repeated as signals of the retweeter, which
/// would count one act three or four times.
/// </remarks>
public static partial class IraDataset
{
    /// <summary>The tweets file inside the data folder.</summary>
    public const string TweetsFile = "ira-2016/tweets.csv.gz";

    /// <summary>Retweets whose normalised content is shorter than this carry no usable identity (the
    /// file has retweets whose content is "1").</summary>
    public const int MinRetweetContentLength = 10;

    /// <summary>Loads <see cref="TweetsFile"/> under <paramref name="dataFolder"/>.</summary>
    public static LabelledDataset Load(string dataFolder, IraLoadOptions? options = null)
    {
        options ??= new IraLoadOptions();
        var signals = new List<Signal>(1 << 20);
        var category = new Dictionary<string, string>(StringComparer.Ordinal);
        var retweets = new Dictionary<string, int>(StringComparer.Ordinal);
        using var csv = GzipCsv.Open(Path.Combine(dataFolder, TweetsFile), "author_id", "account_category", "publish_date", "retweet", "hashtags", "urls", "mentions", "content");
        int cAuthor = csv.Column("author_id"), cCategory = csv.Column("account_category"), cDate = csv.Column("publish_date"),
            cRetweet = csv.Column("retweet"), cTags = csv.Column("hashtags"), cUrls = csv.Column("urls"), cMentions = csv.Column("mentions"), cContent = csv.Column("content");
        var row = 0L;
        while (csv.Next())
        {
            row++;
            var author = csv[cAuthor];
            if (author.Length == 0 || !DateTimeOffset.TryParseExact(csv[cDate], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                continue;
            }
            if (at < options.From || at >= options.Until)
            {
                continue;
            }
            category.TryAdd(author, csv[cCategory]);
            var id = "ira-" + row.ToString(CultureInfo.InvariantCulture);
            if (csv[cRetweet] == "1")
            {
                var normalized = TextNormalizer.Normalize(RetweetPrefix().Replace(csv[cContent], ""));
                if (normalized.Length >= MinRetweetContentLength)
                {
                    signals.Add(new Signal(id, author, SignalKind.Repost, "rt:" + TextNormalizer.Fingerprint(normalized), at));
                    retweets[author] = retweets.GetValueOrDefault(author) + 1;
                }
                continue;
            }
            signals.Add(new Signal(id, author, SignalKind.Post, id, at, csv[cContent]));
            AddEach(signals, id, "#h", author, SignalKind.Hashtag, csv[cTags], at);
            AddEach(signals, id, "#l", author, SignalKind.Link, csv[cUrls], at);
            AddEach(signals, id, "#m", author, SignalKind.Mention, csv[cMentions], at);
        }
        var eligible = retweets.Where(kv => kv.Value >= options.MinRetweetsForCoverage).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        return new LabelledDataset("ira-2016", signals, category, category.Keys.ToList(), eligible);
    }

    /// <summary>
    /// The operation's signals with an organic background: <see cref="PlatformSimulator"/> without
    /// campaigns, as <paramref name="background"/> describes it (its start and length place it in time). The background's accounts are the organic
    /// accounts the false-positive rate is measured on.
    /// </summary>
    public static LabelledDataset WithBackground(LabelledDataset operation, SimulationOptions background)
    {
        var sim = PlatformSimulator.Run(background with { Campaigns = 0 });
        var clash = sim.Accounts.FirstOrDefault(operation.GroupOf.ContainsKey);
        if (clash is not null)
        {
            throw new InvalidOperationException($"background account {clash} has the id of an operation account");
        }
        return operation with
        {
            Name = operation.Name + "+background",
            Signals = operation.Signals.Concat(sim.Signals).ToList(),
            Accounts = operation.Accounts.Concat(sim.Accounts).ToList(),
        };
    }

    private static void AddEach(List<Signal> signals, string postId, string infix, string author, SignalKind kind, string list, DateTimeOffset at)
    {
        var i = 0;
        foreach (var item in list.Split(['|', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            signals.Add(new Signal(postId + infix + (i++).ToString(CultureInfo.InvariantCulture), author, kind, item, at));
        }
    }

    [GeneratedRegex(@"^RT @\w+:\s*", RegexOptions.CultureInvariant)]
    private static partial Regex RetweetPrefix();
}
