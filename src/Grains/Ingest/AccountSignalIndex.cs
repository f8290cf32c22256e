namespace Cib.Grains.Ingest;

/// <summary>
/// Where each account's signals are in the log, in memory: per account, the event time and sequence number of each of its
/// signals. It replaces an index on (account, time) on disk, for the reason <see cref="SignalIdIndex"/> replaces the id
/// index: a batch's signals belong to thousands of accounts, so that index took a random page write per signal. Rebuilt
/// from the log when the log opens; 16 bytes per signal (and up to as much again of spare capacity) in memory.
/// Safe for one writer and many readers at once.
/// </summary>
internal sealed class AccountSignalIndex
{
    private readonly Dictionary<string, Postings> _byAccount = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Adds signals, each as (account, event time in ticks, sequence number).</summary>
    public void Add(IEnumerable<(string Account, long Ticks, long Seq)> signals)
    {
        lock (_lock)
        {
            foreach (var (account, ticks, seq) in signals)
            {
                if (!_byAccount.TryGetValue(account, out var postings))
                {
                    _byAccount[account] = postings = new Postings();
                }
                postings.Add(ticks, seq);
            }
        }
    }

    /// <summary>
    /// Sequence numbers of the earliest <paramref name="limit"/> signals (by event time, then sequence) of
    /// <paramref name="accounts"/>, in that order.
    /// </summary>
    public List<long> Earliest(IEnumerable<string> accounts, int limit)
    {
        var found = new List<(long Ticks, long Seq)>();
        lock (_lock)
        {
            foreach (var account in accounts.Distinct(StringComparer.Ordinal))
            {
                if (_byAccount.TryGetValue(account, out var postings))
                {
                    for (var i = 0; i < postings.Count; i++)
                    {
                        found.Add((postings.Ticks[i], postings.Seqs[i]));
                    }
                }
            }
        }
        found.Sort();
        return found.Take(limit).Select(x => x.Seq).ToList();
    }

    /// <summary>Sequence numbers of <paramref name="account"/>'s signals at exactly <paramref name="ticks"/>, at most <paramref name="limit"/>, in log order.</summary>
    public List<long> At(string account, long ticks, int limit)
    {
        var found = new List<long>();
        lock (_lock)
        {
            if (_byAccount.TryGetValue(account, out var postings))
            {
                for (var i = 0; i < postings.Count && found.Count < limit; i++)
                {
                    if (postings.Ticks[i] == ticks)
                    {
                        found.Add(postings.Seqs[i]);
                    }
                }
            }
        }
        return found;
    }

    /// <summary>One account's signals, in log order.</summary>
    private sealed class Postings
    {
        public long[] Ticks = new long[4];
        public long[] Seqs = new long[4];
        public int Count;

        public void Add(long ticks, long seq)
        {
            if (Count == Ticks.Length)
            {
                Array.Resize(ref Ticks, Count * 2);
                Array.Resize(ref Seqs, Count * 2);
            }
            Ticks[Count] = ticks;
            Seqs[Count] = seq;
            Count++;
        }
    }
}
