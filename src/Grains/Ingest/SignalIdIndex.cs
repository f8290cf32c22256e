namespace Cib.Grains.Ingest;

/// <summary>
/// Which signal ids the log holds, in memory: a 64-bit hash of each id, mapped to the sequence number of the row that holds
/// it. It replaces a UNIQUE index on the ids: ids arrive in no order, so each append wrote a random page of an ever-growing
/// B-tree into the write-ahead log, which cost more than the rest of the append together and grew with the log. The index is
/// rebuilt from the log when the log opens, so it costs nothing in durability; about 30 bytes per signal in memory.
/// Two different ids may share a hash: every sequence number with the hash is kept, and callers compare the stored id.
/// </summary>
internal sealed class SignalIdIndex
{
    private readonly Dictionary<long, long> _first = [];
    private readonly Dictionary<long, List<long>> _more = [];

    /// <summary>
    /// The hash of an id: 64-bit FNV-1a over its UTF-16 code units, then the SplitMix64 finaliser so that ids differing in
    /// their last characters spread over all bits. Not cryptographic: a collision only costs one more row comparison.
    /// </summary>
    public static long Hash(string id)
    {
        var h = 14695981039346656037UL;
        foreach (var c in id)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return (long)(h ^ (h >> 31));
    }

    /// <summary>Records that the row <paramref name="seq"/> holds an id with hash <paramref name="hash"/>.</summary>
    public void Add(long hash, long seq)
    {
        if (!_first.TryAdd(hash, seq))
        {
            if (!_more.TryGetValue(hash, out var list))
            {
                _more[hash] = list = [];
            }
            list.Add(seq);
        }
    }

    /// <summary>Sequence numbers of the rows whose id has hash <paramref name="hash"/>: usually none, or one.</summary>
    public IEnumerable<long> Candidates(long hash)
    {
        if (!_first.TryGetValue(hash, out var seq))
        {
            yield break;
        }
        yield return seq;
        if (_more.TryGetValue(hash, out var list))
        {
            foreach (var s in list)
            {
                yield return s;
            }
        }
    }

    /// <summary>Whether some row may hold an id with hash <paramref name="hash"/>; false means certainly none.</summary>
    public bool MayContain(long hash) => _first.ContainsKey(hash);
}
