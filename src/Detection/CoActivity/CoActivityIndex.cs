namespace Cib.Detection.CoActivity;

/// <summary>
/// The windows of many targets (one partition of the target space). Windows that can meet no new
/// action are evicted as event time moves on, so memory follows the number of recently active
/// targets, not all targets ever seen.
/// </summary>
public sealed class CoActivityIndex
{
    private readonly Dictionary<CoActivityTarget, CoActivityWindow> _windows = [];
    private readonly CoActivityOptions _options;
    private readonly long _retainTicks;

    // Every live window has at least one entry here whose priority is at most its NewestTicks (a
    // window's newest time only grows), so the stale ones are found by popping the front instead of
    // scanning every window: a scan per 4096 actions cost a tenth of a run with 100,000 live windows.
    private readonly PriorityQueue<CoActivityTarget, long> _byNewest = new();
    private long _newestTicks = long.MinValue;
    private long _addsSinceEviction;

    /// <summary>Creates an empty index.</summary>
    public CoActivityIndex(CoActivityOptions options)
    {
        _options = options.Validate();
        _retainTicks = (_options.Windows.Values.DefaultIfEmpty(TimeSpan.FromMinutes(5)).Max() + _options.Lateness).Ticks;
    }

    /// <summary>Targets with a live window.</summary>
    public int LiveTargets => _windows.Count;

    /// <summary>Adds an action and appends the evidence it creates to <paramref name="evidence"/>.</summary>
    public void Add(string account, CoActivityTarget target, long ticks, List<CoActivityEvidence> evidence)
    {
        if (!_windows.TryGetValue(target, out var window))
        {
            window = new CoActivityWindow(_options.WindowFor(target.Kind), _options.Lateness, _options.MaxActorsPerWindow);
            _windows.Add(target, window);
            _byNewest.Enqueue(target, ticks);
        }
        var sink = new EvidenceSink(evidence, account, ticks, target);
        window.Add(account, ticks, target.Sketch, target.Part, ref sink);
        _newestTicks = Math.Max(_newestTicks, ticks);
        if (++_addsSinceEviction >= 4096)
        {
            EvictStale();
        }
    }

    /// <summary>Drops windows whose newest action is older than every window plus lateness behind the newest action seen.</summary>
    public void EvictStale()
    {
        _addsSinceEviction = 0;
        var horizon = _newestTicks - _retainTicks;
        while (_byNewest.TryPeek(out var target, out var seen) && seen < horizon)
        {
            _byNewest.Dequeue();
            // The entry may be older than its window's newest action (requeue it at that time) or outlive
            // its window (an earlier entry of the same target evicted it: nothing to do).
            if (_windows.TryGetValue(target, out var window))
            {
                if (window.NewestTicks < horizon)
                {
                    _windows.Remove(target);
                }
                else
                {
                    _byNewest.Enqueue(target, window.NewestTicks);
                }
            }
        }
    }

    private readonly struct EvidenceSink(List<CoActivityEvidence> evidence, string account, long ticks, CoActivityTarget target) : CoActivityWindow.ICoActorSink
    {
        public void Meet(string other, long otherTicks, ContentSketch? otherSketch, int crowd) =>
            evidence.Add(CoActivityEvidence.Create(account, ticks, other, otherTicks, target.Kind,
                target.Sketch is { } sketch && otherSketch is not null ? sketch.EvidenceKey(otherSketch) : target.Key, crowd));
    }
}
