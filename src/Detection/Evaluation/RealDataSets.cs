using Cib.Detection.CoActivity;
using Cib.Detection.Networks;
using Cib.Detection.Simulation;

namespace Cib.Detection.Evaluation;

/// <summary>
/// How the real data sets are evaluated: which part is loaded, what organic background is mixed in,
/// and which settings detection runs with. <c>cib eval</c> and the evaluation tests share these.
/// </summary>
public static class RealDataSets
{
    /// <summary>The folder holding <c>ira-2016/</c> and <c>lee-2011/</c>, as <c>../shared/data</c> from
    /// the folder that contains <c>Cib.sln</c>, searched upwards from <paramref name="start"/>; null when
    /// there is no such folder.</summary>
    public static string? Locate(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cib.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(data) ? data : null;
            }
        }
        return null;
    }

    /// <summary>
    /// The organic background mixed into the IRA data: one simulated day of 5,000 ordinary accounts
    /// (viral bursts, fan communities and news bursts included, no campaigns), placed on
    /// <paramref name="day"/>.
    /// </summary>
    public static SimulationOptions IraBackground(DateTimeOffset day) => new() { Seed = 2016, Start = day, Campaigns = 0 };

    /// <summary>The IRA data (all of it, or <paramref name="load"/>'s span) with the organic background
    /// placed on the busiest day of the loaded span.</summary>
    public static LabelledDataset Ira(string dataFolder, IraLoadOptions? load = null)
    {
        var operation = IraDataset.Load(dataFolder, load);
        var busiest = operation.Signals.GroupBy(s => s.Timestamp.UtcDateTime.Date).MaxBy(g => g.Count())?.Key ?? new DateTime(2016, 10, 1);
        return IraDataset.WithBackground(operation, IraBackground(new DateTimeOffset(busiest, TimeSpan.Zero)));
    }

    /// <summary>The Lee 2011 data as it is.</summary>
    public static LabelledDataset Lee(string dataFolder) => LeeDataset.Load(dataFolder);

    /// <summary>
    /// Co-activity settings for a data set: the defaults for all of them. The IRA timestamps are
    /// whole minutes, and the 60 s inclusive window then pairs ties and neighbouring minutes. Widening
    /// the repost, like and reply windows to the published rule's 10 minutes raised IRA coverage
    /// (0.83 to 0.89) but flagged 8% of the organic background (its viral bursts fit in 10 minutes),
    /// so the defaults stay.
    /// </summary>
    public static CoActivityOptions Windows(string dataset) => new();

    /// <summary>Detection settings for a data set: the defaults.</summary>
    public static DetectionOptions Detection(string dataset) => new();

    /// <summary>The name <c>cib eval</c> gives the IRA row measured with the minute-resolution profile.</summary>
    public const string MinuteResolutionProfile = "minute profile";

    /// <summary>
    /// Windows for data whose reposts carry whole-minute timestamps (the IRA set): co-repost in 10 minutes,
    /// the window of the published co-retweet rule that issue 3 gives as the bar, instead of 60 s, which
    /// at minute resolution means "the same or the next minute". The other kinds keep theirs: widening
    /// co-like and co-reply as well flagged 2.3% of the simulated background, whose likes and replies
    /// have second timestamps.
    /// </summary>
    public static CoActivityOptions MinuteResolutionWindows(CoActivityOptions windows) =>
        windows with { Windows = new Dictionary<CoActivityKind, TimeSpan>(windows.Windows) { [CoActivityKind.CoRepost] = TimeSpan.FromMinutes(10) } };

    /// <summary>
    /// Detection settings to go with <see cref="MinuteResolutionWindows"/>: the defaults and a mean
    /// occasion weight of at least 0.3 (<see cref="DetectionOptions.MinMeanOccasionWeight"/>, typical
    /// crowd about 9), because ten-minute windows put quiet organic accounts into the same viral crowds
    /// often enough to pass the Jaccard tests (2.8% of the IRA background without it).
    /// </summary>
    public static DetectionOptions MinuteResolutionDetection(DetectionOptions detection) => detection with { MinMeanOccasionWeight = 0.3 };

    /// <summary>The name <c>cib eval</c> gives the Lee row measured with reviewers in the loop.</summary>
    public const string ReviewedProfile = "reviewed members";

    /// <summary>The window of the long-horizon kinds in <see cref="LongHorizonWindows"/>: 92 days, a quarter.</summary>
    public static readonly TimeSpan LongHorizon = TimeSpan.FromDays(92);

    /// <summary>
    /// Windows for data with a few posts per account over months (the Lee set keeps about five tweets per
    /// account from seven months): co-link, identical text and near-duplicate text within
    /// <see cref="LongHorizon"/>, because a spam campaign posts the same links and templates for weeks, not
    /// within minutes. The other kinds keep theirs.
    /// </summary>
    public static CoActivityOptions LongHorizonWindows(CoActivityOptions windows) =>
        windows with
        {
            Windows = new Dictionary<CoActivityKind, TimeSpan>(windows.Windows)
            {
                [CoActivityKind.CoLink] = LongHorizon,
                [CoActivityKind.CoText] = LongHorizon,
                [CoActivityKind.CoNearText] = LongHorizon,
            },
        };

    /// <summary>
    /// Detection settings to go with <see cref="LongHorizonWindows"/> when reviewers decide who is put forward
    /// (<see cref="ReviewedMembersEvaluator"/>): every pair that shared one link or text is an edge, every
    /// network of two or more goes to review, and the member layer trained on reviewers' decisions chooses
    /// the members. With five posts per account, the support and Jaccard tests that guard the unreviewed
    /// defaults would leave almost nothing to review (recall 0.011 with them).
    /// </summary>
    public static DetectionOptions ReviewedDetection(DetectionOptions detection) => detection with
    {
        MinSupport = 1,
        ReferenceMinSupport = 1,
        MinJaccard = 0,
        MinDailyJaccard = 0,
        MinJaccardAtHighSupport = 0,
        MinNetworkSize = 2,
        TakedownThreshold = 0,
    };
}
