namespace Cib.Detection.CoActivity;

/// <summary>The window estimated for one kind, and what it was estimated from.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Window">The estimate, or the configured window when too few targets were shared twice.</param>
/// <param name="Targets">Targets of this kind acted on at least twice.</param>
/// <param name="Fastest">Of those, the fastest share whose median is the estimate (0 when not estimated).</param>
public sealed record WindowEstimate(CoActivityKind Kind, TimeSpan Window, int Targets, int Fastest)
{
    /// <summary>Whether <see cref="Window"/> was estimated from the data.</summary>
    public bool Estimated => Fastest > 0;
}

/// <summary>
/// CooRnet's automatic coordination interval (Giglietto, Righetti, Rossi and Marino, 2020; CooRnet's
/// <c>estimate_coord_interval</c> with q = 0.1, p = 0.5), per kind. For every target acted on at
/// least twice, t½ = time from its first action to the first action by which more than half of its
/// actions had happened (the ⌊n/2⌋ + 1-th of n, in time order); the targets whose t½ is at most the
/// q-quantile of all t½ (R's type-7 quantile) are the fastest; the window is the median of their t½,
/// at least 1 s (minute-resolution data gives 0) and at most 1 day. A kind with fewer than
/// <see cref="MinTargets"/> such targets keeps its configured window. Near-duplicate text and media,
/// whose targets are LSH bands and hash blocks rather than things people share, take the estimate of
/// identical text and of fingerprints.
/// </summary>
public static class WindowEstimator
{
    /// <summary>q: the share of targets, fastest first, whose median is the window.</summary>
    public const double FastestShare = 0.1;

    /// <summary>Kinds with fewer targets acted on twice than this are not estimated.</summary>
    public const int MinTargets = 10;

    /// <summary>
    /// Estimates every kind's window from <paramref name="actions"/> (any order); kinds not estimated
    /// keep <paramref name="configured"/>'s window.
    /// </summary>
    public static IReadOnlyList<WindowEstimate> Estimate(IEnumerable<(CoActivityTarget Target, long Ticks)> actions, CoActivityOptions configured)
    {
        var times = new Dictionary<CoActivityTarget, List<long>>();
        foreach (var (target, ticks) in actions)
        {
            if (target.Sketch is not null)
            {
                continue;
            }
            if (!times.TryGetValue(target, out var list))
            {
                times[target] = list = [];
            }
            list.Add(ticks);
        }
        var halves = new Dictionary<CoActivityKind, List<double>>();
        foreach (var (target, list) in times)
        {
            if (list.Count < 2)
            {
                continue;
            }
            list.Sort();
            if (!halves.TryGetValue(target.Kind, out var h))
            {
                halves[target.Kind] = h = [];
            }
            h.Add((list[(list.Count / 2)] - list[0]) / (double)TimeSpan.TicksPerSecond);
        }
        var result = new Dictionary<CoActivityKind, WindowEstimate>();
        foreach (var kind in Enum.GetValues<CoActivityKind>())
        {
            var source = kind switch
            {
                CoActivityKind.CoNearText => CoActivityKind.CoText,
                CoActivityKind.CoMedia => CoActivityKind.CoFingerprint,
                _ => kind,
            };
            if (!halves.TryGetValue(source, out var h) || h.Count < MinTargets)
            {
                result[kind] = new WindowEstimate(kind, configured.WindowFor(kind), h?.Count ?? 0, 0);
                continue;
            }
            h.Sort();
            var cut = Quantile(h, FastestShare);
            var fastest = h.TakeWhile(x => x <= cut).ToArray();
            var seconds = Math.Clamp(Quantile(fastest, 0.5), 1, TimeSpan.FromDays(1).TotalSeconds);
            result[kind] = new WindowEstimate(kind, TimeSpan.FromSeconds(Math.Round(seconds)), h.Count, fastest.Length);
        }
        return [.. result.Values.OrderBy(e => e.Kind)];
    }

    /// <summary>The options with every estimated window in place of the configured one.</summary>
    public static CoActivityOptions Apply(CoActivityOptions configured, IReadOnlyList<WindowEstimate> estimates) =>
        configured with { Windows = estimates.ToDictionary(e => e.Kind, e => e.Window) };

    /// <summary>R's default (type 7) quantile of sorted values: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1) p.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}
