using Cib.Detection.CoActivity;
using Cib.Detection.Signals;

namespace Cib.Detection.Networks;

/// <summary>
/// An account's behaviour so far, updated one action at a time in constant memory. Mutable: owned
/// by one account grain; <see cref="Snapshot"/> gives the immutable view others see.
/// </summary>
public sealed class AccountBehaviour
{
    /// <summary>First action time (UTC ticks), 0 if none.</summary>
    public long FirstTicks { get; set; }

    /// <summary>Latest action time (UTC ticks).</summary>
    public long LastTicks { get; set; }

    /// <summary>Actions seen.</summary>
    public long Actions { get; set; }

    /// <summary>Actions that are co-activity targets (the n in the Jaccard of an edge).</summary>
    public long CoActivityActions { get; set; }

    /// <summary>Actions per <see cref="SignalKind"/>.</summary>
    public long[] ByKind { get; set; } = new long[8];

    /// <summary>Welford count, mean and M2 of the gaps between consecutive actions (seconds).</summary>
    public long GapCount { get; set; }

    /// <summary>Running mean gap.</summary>
    public double GapMean { get; set; }

    /// <summary>Running sum of squared deviations of gaps.</summary>
    public double GapM2 { get; set; }

    /// <summary>Profile: creation time, if any record carried it.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Profile: handle.</summary>
    public string? Handle { get; set; }

    /// <summary>Profile: display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Profile: followers, as the newest record that carried the count said.</summary>
    public long? Followers { get; set; }

    /// <summary>Profile: accounts followed, likewise.</summary>
    public long? Following { get; set; }

    /// <summary>Profile: posts made on the platform in all, likewise.</summary>
    public long? DeclaredPosts { get; set; }

    /// <summary>Most days whose co-activity actions are kept (default 400); older days are dropped first.</summary>
    public const int MaxDays = 400;

    // Co-activity actions per UTC day (days since 0001-01-01): the per-day n of the bucketed Jaccard.
    // Co-activity actions per day number, ascending. A list searched from its newest end rather than a sorted tree: signals
    // arrive nearly in time order, so almost every action lands on the last day (a tree walked its nodes for each).
    private readonly List<(int Day, long Actions)> _coActivityByDay = [];

    /// <summary>Applies one signal with <paramref name="coActivityTargets"/> targets extracted from it.</summary>
    public void Apply(Signal signal, int coActivityTargets)
    {
        var ticks = signal.Timestamp.UtcTicks;
        if (Actions == 0)
        {
            FirstTicks = ticks;
            LastTicks = ticks;
        }
        else
        {
            // Gaps are measured in arrival order clipped at zero: ingest is nearly ordered, and a
            // late record must not produce a negative gap.
            var gap = Math.Max(0, ticks - LastTicks) / (double)TimeSpan.TicksPerSecond;
            GapCount++;
            var delta = gap - GapMean;
            GapMean += delta / GapCount;
            GapM2 += delta * (gap - GapMean);
            FirstTicks = Math.Min(FirstTicks, ticks);
            LastTicks = Math.Max(LastTicks, ticks);
        }
        Actions++;
        CoActivityActions += coActivityTargets;
        if (coActivityTargets > 0)
        {
            AddToDay(DayOf(ticks), coActivityTargets);
        }
        ByKind[(int)signal.Kind]++;
        if (signal.Profile is { } p)
        {
            CreatedAt = p.CreatedAt ?? CreatedAt;
            Handle = p.Handle ?? Handle;
            DisplayName = p.DisplayName ?? DisplayName;
            Followers = p.Followers ?? Followers;
            Following = p.Following ?? Following;
            DeclaredPosts = p.Posts ?? DeclaredPosts;
        }
    }

    /// <summary>Adds <paramref name="actions"/> to <paramref name="day"/>, keeping the newest <see cref="MaxDays"/> days.</summary>
    private void AddToDay(int day, long actions)
    {
        var days = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_coActivityByDay);
        var i = days.Length - 1;
        while (i >= 0 && days[i].Day > day)
        {
            i--;
        }
        if (i >= 0 && days[i].Day == day)
        {
            days[i].Actions += actions;
            return;
        }
        _coActivityByDay.Insert(i + 1, (day, actions));
        if (_coActivityByDay.Count > MaxDays)
        {
            _coActivityByDay.RemoveAt(0);
        }
    }

    /// <summary>The immutable features of this account.</summary>
    public AccountFeatures Snapshot(string account)
    {
        var sd = GapCount > 1 ? Math.Sqrt(GapM2 / (GapCount - 1)) : 0;
        // Goh and Barabási (2008) burstiness: B = (σ − μ) / (σ + μ) of inter-event times, in [-1, 1];
        // 0 when undefined (fewer than two gaps or all gaps zero).
        var burstiness = GapCount > 1 && sd + GapMean > 0 ? (sd - GapMean) / (sd + GapMean) : 0;
        return new AccountFeatures(
            account,
            Actions == 0 ? null : new DateTimeOffset(FirstTicks, TimeSpan.Zero),
            Actions == 0 ? null : new DateTimeOffset(LastTicks, TimeSpan.Zero),
            Actions,
            CoActivityActions,
            Array.AsReadOnly((long[])ByKind.Clone()),
            burstiness,
            CreatedAt,
            Handle,
            DisplayName)
        {
            CoActivityByDay = [.. _coActivityByDay.Select(d => new DailyCount(DateOnly.FromDayNumber(d.Day), d.Actions))],
            Followers = Followers,
            Following = Following,
            DeclaredPosts = DeclaredPosts,
        };
    }

    /// <summary>The UTC day (days since 0001-01-01) of <paramref name="utcTicks"/>.</summary>
    public static int DayOf(long utcTicks) => (int)(utcTicks / TimeSpan.TicksPerDay);
}

/// <summary>Actions on one UTC day.</summary>
/// <param name="Day">The day.</param>
/// <param name="Actions">Actions on it.</param>
public sealed record DailyCount(DateOnly Day, long Actions);

/// <summary>What is known of one account's behaviour, as shown to investigators and used by scoring.</summary>
/// <param name="Account">Account id.</param>
/// <param name="FirstSeen">First action.</param>
/// <param name="LastSeen">Latest action.</param>
/// <param name="Actions">Actions seen.</param>
/// <param name="CoActivityActions">Actions that count as co-activity targets.</param>
/// <param name="ActionsByKind">Actions per signal kind (index = <see cref="SignalKind"/>).</param>
/// <param name="Burstiness">B = (σ − μ)/(σ + μ) of inter-action gaps (Goh and Barabási 2008).</param>
/// <param name="CreatedAt">Account creation time, when known.</param>
/// <param name="Handle">Handle, when known.</param>
/// <param name="DisplayName">Display name, when known.</param>
public sealed record AccountFeatures(
    string Account,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long Actions,
    long CoActivityActions,
    IReadOnlyList<long> ActionsByKind,
    double Burstiness,
    DateTimeOffset? CreatedAt,
    string? Handle,
    string? DisplayName)
{
    /// <summary>Co-activity actions per UTC day, oldest first (at most <see cref="AccountBehaviour.MaxDays"/> days);
    /// empty when unknown. The per-day n of <see cref="DailyJaccard"/>.</summary>
    public IReadOnlyList<DailyCount> CoActivityByDay { get; init; } = [];

    /// <summary>Followers, as the platform counted them in the newest record that said; null when unknown.</summary>
    public long? Followers { get; init; }

    /// <summary>Accounts it follows, likewise; null when unknown.</summary>
    public long? Following { get; init; }

    /// <summary>Posts it has made on the platform in all (not only those Cib saw), likewise; null when unknown.</summary>
    public long? DeclaredPosts { get; init; }

    /// <summary>Co-activity actions on the days of <paramref name="days"/> (ascending; a day
    /// without a count had none), or <see cref="CoActivityActions"/> when the daily counts do not reach back
    /// to the first of those days (dropped, or an account snapshot without them).</summary>
    public long CoActivityActionsOn(IReadOnlyList<DateOnly> days)
    {
        if (days.Count == 0 || CoActivityByDay.Count == 0 || days[0] < CoActivityByDay[0].Day)
        {
            return CoActivityActions;
        }
        long sum = 0;
        var i = 0;
        foreach (var day in days)
        {
            while (i < CoActivityByDay.Count && CoActivityByDay[i].Day < day)
            {
                i++;
            }
            if (i < CoActivityByDay.Count && CoActivityByDay[i].Day == day)
            {
                sum += CoActivityByDay[i].Actions;
            }
        }
        return sum;
    }

    /// <summary>Account age in days at its latest action, when the creation time is known.</summary>
    public double? AgeDays => CreatedAt is { } c && LastSeen is { } l ? Math.Max(0, (l - c).TotalDays) : null;
}
