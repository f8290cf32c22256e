using Cib.Detection.Signals;

namespace Cib.Grains.Ingest;

/// <summary>
/// The newest committed signals of the log, in memory, so that the pump, which follows close behind ingest, gets them
/// without reading back and decoding rows it was handed a moment ago (that read cost about a tenth of applying them).
/// A ring of a fixed number of signals; a reader that fell further behind than it holds reads the log on disk.
/// Safe for one writer and many readers at once.
/// </summary>
internal sealed class RecentSignals(int capacity)
{
    private readonly (long Seq, Signal Signal)[] _ring = new (long, Signal)[capacity];
    private readonly Lock _lock = new();
    private long _first = 1, _last;

    /// <summary>Adds committed signals, whose sequence numbers follow the last one added (or start after a gap).</summary>
    public void Add(IEnumerable<(long Seq, Signal Signal)> signals)
    {
        lock (_lock)
        {
            foreach (var (seq, signal) in signals)
            {
                if (seq != _last + 1)
                {
                    // Not contiguous (the first batch after the log opened): what the ring held no longer leads up to it.
                    _first = seq;
                }
                _ring[seq % _ring.Length] = (seq, signal);
                _last = seq;
                _first = Math.Max(_first, _last - _ring.Length + 1);
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> signals after <paramref name="afterSeq"/>, in order, when the ring holds the one right
    /// after it; null when the caller must read the log instead (or when there is nothing after it yet).
    /// </summary>
    public List<(long Seq, Signal Signal)>? TryRead(long afterSeq, int limit)
    {
        lock (_lock)
        {
            if (afterSeq + 1 < _first || afterSeq >= _last)
            {
                return null;
            }
            var count = (int)Math.Min(limit, _last - afterSeq);
            var result = new List<(long, Signal)>(count);
            for (var seq = afterSeq + 1; seq <= afterSeq + count; seq++)
            {
                result.Add(_ring[seq % _ring.Length]);
            }
            return result;
        }
    }
}
