using System.Runtime.InteropServices;

namespace Cib.Detection.CoActivity;

/// <summary>
/// The windows of many targets (one partition of the target space). Windows that can meet no new
/// action are evicted as event time moves on, so memory follows the number of recently active
/// targets, not all targets ever seen.
/// </summary>
public sealed class CoActivityIndex
{
    // Live windows by target, as slots of _slots (values, not objects: see WindowState); freed slots are reused.
    private readonly Dictionary<CoActivityTarget, int> _windows = [];
    private WindowState[] _slots = new WindowState[1024];
    private int _slotsUsed;
    private readonly Stack<int> _freeSlots = new();
    private readonly CoActivityOptions _options;
    private readonly long _retainTicks;

    // The window of each kind, looked up once: a new window is made for most actions (text bands).
    private readonly TimeSpan[] _windowOf = new TimeSpan[CoActivityKinds.Count];

    // Every live window is listed under exactly one second of event time, at most its NewestTicks (a
    // window's newest time only grows), so eviction visits only the seconds behind the horizon instead of
    // every window: a scan of all windows per 4096 actions cost a tenth of a run, and a heap keyed by
    // time cost more (a cache miss per level). A visited window that is still live is listed again
    // under its newest second.
    private readonly Dictionary<long, List<(CoActivityTarget Target, int Slot)>> _bySecond = [];
    private readonly Stack<List<(CoActivityTarget, int)>> _spareLists = new();
    private long _firstSecond = long.MaxValue;
    private long _newestTicks = long.MinValue;
    private long _addsSinceEviction;

    /// <summary>Creates an empty index.</summary>
    public CoActivityIndex(CoActivityOptions options)
    {
        _options = options.Validate();
        _retainTicks = (_options.Windows.Values.DefaultIfEmpty(TimeSpan.FromMinutes(5)).Max() + _options.Lateness).Ticks;
        for (var kind = 0; kind < _windowOf.Length; kind++)
        {
            _windowOf[kind] = _options.WindowFor((CoActivityKind)kind);
        }
    }

    /// <summary>Targets with a live window.</summary>
    public int LiveTargets => _windows.Count;

    /// <summary>Adds an action and appends the evidence it creates to <paramref name="evidence"/>.</summary>
    public void Add(string account, CoActivityTarget target, long ticks, List<EvidenceItem> evidence)
    {
        var sink = new ItemSink(evidence, account, ticks, target);
        Add(account, target, ticks, ref sink);
    }

    /// <summary>Adds an action and appends the evidence it creates to <paramref name="evidence"/>, as records to send.</summary>
    public void Add(string account, CoActivityTarget target, long ticks, List<CoActivityEvidence> evidence)
    {
        var sink = new RecordSink(evidence, account, ticks, target);
        Add(account, target, ticks, ref sink);
    }

    private void Add<TSink>(string account, CoActivityTarget target, long ticks, ref TSink sink)
        where TSink : struct, CoActivityWindow.ICoActorSink
    {
        // One probe finds the window or makes room for a new one: most targets (text bands) are new.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_windows, target, out var exists);
        if (!exists)
        {
            var span = (uint)target.Kind < (uint)_windowOf.Length ? _windowOf[(int)target.Kind] : _options.WindowFor(target.Kind);
            slot = NewSlot();
            _slots[slot] = new WindowState(span, _options.Lateness, _options.MaxActorsPerWindow);
            List(target, slot, ticks);
        }
        _slots[slot].Add(account, ticks, target.Sketch, target.Part, ref sink);
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
        if (_bySecond.Count == 0)
        {
            return;
        }
        var horizon = _newestTicks - _retainTicks;
        var last = horizon / TimeSpan.TicksPerSecond;
        if (_firstSecond > last)
        {
            return;
        }
        // After a quiet spell (a night with no actions) the seconds to walk outnumber the lists: take the lists.
        var due = last - _firstSecond <= 4L * _bySecond.Count
            ? null
            : _bySecond.Keys.Where(second => second <= last).ToArray();
        for (var i = 0; due is null ? _firstSecond + i <= last : i < due.Length; i++)
        {
            if (!_bySecond.Remove(due is null ? _firstSecond + i : due[i], out var listed))
            {
                continue;
            }
            foreach (var (target, slot) in listed)
            {
                var newest = _slots[slot].NewestTicks;
                if (newest < horizon)
                {
                    // A live window is listed exactly once, so this listing was its last: the slot is free to reuse.
                    _windows.Remove(target);
                    _slots[slot] = default;
                    _freeSlots.Push(slot);
                }
                else
                {
                    List(target, slot, newest);
                }
            }
            listed.Clear();
            _spareLists.Push(listed);
        }
        _firstSecond = last;
    }

    /// <summary>A free slot of <see cref="_slots"/>, growing it when none is.</summary>
    private int NewSlot()
    {
        if (_freeSlots.TryPop(out var free))
        {
            return free;
        }
        if (_slotsUsed == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }
        return _slotsUsed++;
    }

    private void List(CoActivityTarget target, int slot, long ticks)
    {
        var second = ticks / TimeSpan.TicksPerSecond;
        if (!_bySecond.TryGetValue(second, out var listed))
        {
            listed = _spareLists.TryPop(out var spare) ? spare : [];
            _bySecond.Add(second, listed);
        }
        listed.Add((target, slot));
        _firstSecond = Math.Min(_firstSecond, second);
    }

    private static EvidenceItem Item(string account, long ticks, in CoActivityTarget target, string other, long otherTicks, ContentSketch? otherSketch, int crowd) =>
        EvidenceItem.Create(account, ticks, other, otherTicks, target.Kind,
            target.Sketch is { } sketch && otherSketch is not null ? sketch.EvidenceKey(otherSketch) : target.Key, crowd);

    private readonly struct ItemSink(List<EvidenceItem> evidence, string account, long ticks, CoActivityTarget target) : CoActivityWindow.ICoActorSink
    {
        public void Meet(string other, long otherTicks, ContentSketch? otherSketch, int crowd) =>
            evidence.Add(Item(account, ticks, target, other, otherTicks, otherSketch, crowd));
    }

    private readonly struct RecordSink(List<CoActivityEvidence> evidence, string account, long ticks, CoActivityTarget target) : CoActivityWindow.ICoActorSink
    {
        public void Meet(string other, long otherTicks, ContentSketch? otherSketch, int crowd) =>
            evidence.Add(Item(account, ticks, target, other, otherTicks, otherSketch, crowd).ToEvidence());
    }
}
