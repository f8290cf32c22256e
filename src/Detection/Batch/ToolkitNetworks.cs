using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cib.Detection.Batch;

/// <summary>
/// Computes the coordination network toolkit's co_retweet, co_tweet and co_link networks, edge for
/// edge and weight for weight, from <see cref="ToolkitMessages"/>.
/// </summary>
/// <remarks>
/// The toolkit's rule (its SQL): weight(u1 → u2) = the number of distinct messages m1 of u1 for
/// which u2 has a message m2 ≠ m1 with the same key and |t1 − t2| ≤ window; a user matching its own
/// other message makes a self-loop; edges with weight below the minimum are dropped. The key is the
/// repost id (co_retweet), the normalised text of a non-repost (co_tweet), or each URL of a
/// non-repost (co_link).
/// Here messages are grouped by key with a counting sort on interned key numbers; each group is
/// put in time order and swept with two pointers, so every message sees the window of messages
/// around it, and a per-user stamp counts each user once per message. Groups run in parallel, each
/// worker appending its matches to buffers sharded by user, which are then sorted and counted. The
/// work is the number of (message, message) matches, the same join the toolkit's database
/// performs, but on flat arrays in memory.
/// </remarks>
public static class ToolkitNetworks
{
    /// <summary>All three networks.</summary>
    public static ToolkitNetworkSet ComputeAll(ToolkitMessages messages, ToolkitNetworkOptions? options = null) =>
        new(Compute(messages, ToolkitNetworkKind.CoRetweet, options),
            Compute(messages, ToolkitNetworkKind.CoTweet, options),
            Compute(messages, ToolkitNetworkKind.CoLink, options));

    /// <summary>One network, its edges in ordinal order of (user 1, user 2); with <paramref name="phases"/>,
    /// the wall time of each phase (named after the network) is recorded there.</summary>
    public static IReadOnlyList<ToolkitEdge> Compute(ToolkitMessages messages, ToolkitNetworkKind kind, ToolkitNetworkOptions? options = null, ToolkitPhaseTimes? phases = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options = (options ?? new ToolkitNetworkOptions()).Validate();
        var clock = new PhaseClock(phases);
        var name = kind.ToToolkitName();
        var order = messages.UsersInOrder();
        clock.Lap("order users");
        var groups = Group(messages, kind);
        clock.Lap($"{name}: group by key");
        var weights = Sweep(messages, order, groups, options.WindowTicks, options.MinWeight, clock, name);
        var edges = new ToolkitEdge[weights.Length];
        for (var i = 0; i < edges.Length; i++)
        {
            var (rank1, rank2, weight) = weights[i];
            edges[i] = new ToolkitEdge(order.Names[rank1], order.Names[rank2], weight);
        }
        clock.Lap($"{name}: name edges");
        return edges;
    }

    /// <summary>Messages grouped by key: group g holds <c>Messages[Start[g]..Start[g + 1]]</c>, in
    /// input order. <c>Shared</c> marks messages with more than one key, which can meet the same
    /// user through two keys and must still count once.</summary>
    private sealed record Groups(int[] Start, int[] Messages, bool[]? Shared);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Groups Group(ToolkitMessages m, ToolkitNetworkKind kind)
    {
        int keyCount;
        ReadOnlySpan<int> single = default;
        switch (kind)
        {
            case ToolkitNetworkKind.CoRetweet:
                keyCount = m.RepostKeyCount;
                single = m.Repost;
                break;
            case ToolkitNetworkKind.CoTweet:
                keyCount = m.TextKeyCount;
                single = m.Text;
                break;
            case ToolkitNetworkKind.CoLink:
                keyCount = m.UrlKeyCount;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown toolkit network kind.");
        }
        var start = new int[keyCount + 1];
        if (kind != ToolkitNetworkKind.CoLink)
        {
            foreach (var k in single)
            {
                if (k >= 0)
                {
                    start[k + 1]++;
                }
            }
            PrefixSum(start);
            var cursor = start[..^1];
            var members = new int[start[keyCount]];
            for (var i = 0; i < single.Length; i++)
            {
                if (single[i] >= 0)
                {
                    members[cursor[single[i]]++] = i;
                }
            }
            return new Groups(start, members, null);
        }
        var urlStart = m.UrlStart;
        var urlKeys = m.UrlKeys;
        foreach (var k in urlKeys)
        {
            start[k + 1]++;
        }
        PrefixSum(start);
        var next = start[..^1];
        var linked = new int[start[keyCount]];
        var shared = new bool[m.Count];
        for (var i = 0; i < m.Count; i++)
        {
            shared[i] = urlStart[i + 1] - urlStart[i] > 1;
            for (var u = urlStart[i]; u < urlStart[i + 1]; u++)
            {
                linked[next[urlKeys[u]]++] = i;
            }
        }
        return new Groups(start, linked, shared);
    }

    private static void PrefixSum(int[] counts)
    {
        for (var i = 1; i < counts.Length; i++)
        {
            counts[i] += counts[i - 1];
        }
    }

    /// <summary>Sweeps every group and returns the edges of at least <paramref name="minWeight"/> as
    /// (rank 1, rank 2, weight), ordered by rank, which is the ordinal order of the user names.</summary>
    /// <remarks>Each match is appended as a packed (rank 1, rank 2) key to a buffer of the shard its
    /// rank 1 falls in; each shard is then radix-sorted and its runs counted. Sequential writes and
    /// a cache-sized sort replace a hash table that outgrew the cache and missed it on every match.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Rank1, int Rank2, int Weight)[] Sweep(ToolkitMessages m, UserOrder order, Groups groups, long window, int minWeight, PhaseClock clock, string name)
    {
        var users = new int[m.Count];
        var source = m.User;
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = order.Rank[source[i]];
        }
        var ticks = m.Ticks.ToArray();
        var layout = new ShardLayout(m.UserCount);
        var groupCount = groups.Start.Length - 1;
        var workers = new List<Worker>();
        // Ranges of about a sixteenth of the groups per core balance hot keys (a viral post) without
        // paying per-group scheduling for the many groups of one or two messages.
        var rangeSize = Math.Max(256, groupCount / (Environment.ProcessorCount * 16));
        // An input without a key of this kind (no URL at all) has no group; the partitioner refuses an empty range.
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, Math.Max(1, groupCount), rangeSize),
            () => new Worker(m.UserCount, layout),
            (range, _, worker) =>
            {
                for (var g = range.Item1; g < Math.Min(range.Item2, groupCount); g++)
                {
                    var from = groups.Start[g];
                    var count = groups.Start[g + 1] - from;
                    if (count > 1)
                    {
                        worker.SweepGroup(groups.Messages.AsSpan(from, count), users, ticks, groups.Shared, window);
                    }
                }
                return worker;
            },
            worker =>
            {
                lock (workers)
                {
                    workers.Add(worker);
                }
            });
        clock.Lap($"{name}: sweep windows");
        var shared = CountSharedMatches(workers, users, layout);
        if (shared is not null)
        {
            workers.Add(shared);
        }
        var perShard = new List<(int, int, int)>[layout.Count];
        Parallel.For(0, layout.Count, s => perShard[s] = CountShard(workers, layout, s, minWeight));
        var edges = new (int, int, int)[perShard.Sum(p => p.Count)];
        var at = 0;
        foreach (var p in perShard)
        {
            p.CopyTo(edges, at);
            at += p.Count;
        }
        clock.Lap($"{name}: sort and count pairs");
        return edges;
    }

    /// <summary>The weights of one shard: its keys from every worker, sorted, counted per run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(int, int, int)> CountShard(List<Worker> workers, ShardLayout layout, int shard, int minWeight)
    {
        var length = 0;
        foreach (var w in workers)
        {
            length += w.Length(shard);
        }
        var kept = new List<(int, int, int)>();
        if (length == 0)
        {
            return kept;
        }
        var keys = new ulong[length];
        var at = 0;
        foreach (var w in workers)
        {
            w.Keys(shard).CopyTo(keys.AsSpan(at));
            at += w.Length(shard);
        }
        RadixSort.Sort(keys, new ulong[length], layout.KeyBits);
        var first = shard << layout.Shift;
        for (var i = 0; i < keys.Length;)
        {
            var key = keys[i];
            var j = i + 1;
            while (j < keys.Length && keys[j] == key)
            {
                j++;
            }
            if (j - i >= minWeight)
            {
                kept.Add((first + (int)(key >> layout.UserBits), (int)(key & layout.UserMask), j - i));
            }
            i = j;
        }
        return kept;
    }

    /// <summary>Adds the matches of messages with several keys once per (message, user), however
    /// many keys they met that user through; null when there are none.</summary>
    private static Worker? CountSharedMatches(List<Worker> workers, int[] users, ShardLayout layout)
    {
        var length = 0;
        foreach (var w in workers)
        {
            length += w.SharedMatches.Count;
        }
        if (length == 0)
        {
            return null;
        }
        var all = new long[length];
        var at = 0;
        foreach (var w in workers)
        {
            CollectionsMarshal.AsSpan(w.SharedMatches).CopyTo(all.AsSpan(at));
            at += w.SharedMatches.Count;
        }
        Array.Sort(all);
        var pairs = new Worker(0, layout);
        for (var i = 0; i < all.Length; i++)
        {
            if (i > 0 && all[i] == all[i - 1])
            {
                continue;
            }
            var message = (int)(all[i] >> 32);
            pairs.Emit(users[message], (int)all[i]);
        }
        return pairs;
    }

    /// <summary>How pair keys are split into shards by rank 1: shard s holds ranks
    /// [s × 2^Shift, (s + 1) × 2^Shift), and a key within it is (rank 1 − first) × 2^UserBits + rank 2.</summary>
    private sealed class ShardLayout
    {
        public ShardLayout(int userCount)
        {
            UserBits = Math.Max(1, 32 - int.LeadingZeroCount(Math.Max(1, userCount - 1)));
            // About 128 shards: enough to balance the cores and keep each shard's sort in cache.
            Shift = Math.Max(0, UserBits - 7);
            Count = ((Math.Max(1, userCount) - 1) >> Shift) + 1;
            KeyBits = Shift + UserBits;
            UserMask = (1UL << UserBits) - 1;
        }

        // Fields, not properties: they are read once per match, and a property getter can run
        // unoptimised for a while when the background compiler is starved.
        public readonly int UserBits;
        public readonly ulong UserMask;
        public readonly int Shift;
        public readonly int Count;
        public readonly int KeyBits;
    }

    /// <summary>One thread's scratch space and matches.</summary>
    private sealed class Worker(int userCount, ShardLayout layout)
    {
        private readonly int[] _seenAt = new int[userCount];
        private readonly ulong[][] _keys = new ulong[layout.Count][];
        private readonly int[] _lengths = new int[layout.Count];
        private int _stamp;
        private long[] _ticks = new long[64];
        private int[] _messages = new int[64];
        private int[] _users = new int[64];

        /// <summary>(message, user 2) matches of messages with several keys, packed as message × 2³² + user 2.</summary>
        public List<long> SharedMatches { get; } = [];

        public int Length(int shard) => _lengths[shard];

        public ReadOnlySpan<ulong> Keys(int shard) => _keys[shard].AsSpan(0, _lengths[shard]);

        /// <summary>Records one match of a message of <paramref name="rank1"/> by <paramref name="rank2"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Emit(int rank1, int rank2)
        {
            var shard = rank1 >> layout.Shift;
            var keys = _keys[shard];
            var n = _lengths[shard];
            if (keys is null || n == keys.Length)
            {
                Array.Resize(ref _keys[shard], Math.Max(256, n * 2));
                keys = _keys[shard];
            }
            keys[n] = ((ulong)(rank1 - (shard << layout.Shift)) << layout.UserBits) | (uint)rank2;
            _lengths[shard] = n + 1;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SweepGroup(ReadOnlySpan<int> group, int[] users, long[] ticks, bool[]? shared, long window)
        {
            var n = group.Length;
            if (_ticks.Length < n)
            {
                var size = Math.Max(n, _ticks.Length * 2);
                _ticks = new long[size];
                _messages = new int[size];
                _users = new int[size];
            }
            var t = _ticks.AsSpan(0, n);
            var msg = _messages.AsSpan(0, n);
            var sorted = true;
            for (var i = 0; i < n; i++)
            {
                msg[i] = group[i];
                t[i] = ticks[group[i]];
                sorted &= i == 0 || t[i - 1] <= t[i];
            }
            if (!sorted)
            {
                t.Sort(msg);
            }
            var u = _users.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                u[i] = users[msg[i]];
            }
            var lo = 0;
            var hi = 0;
            for (var i = 0; i < n; i++)
            {
                var ti = t[i];
                while (t[lo] < ti - window)
                {
                    lo++;
                }
                while (hi + 1 < n && t[hi + 1] <= ti + window)
                {
                    hi++;
                }
                // A fresh stamp per message: a user is counted once for this message however many
                // of its messages lie in the window.
                var stamp = ++_stamp;
                var user1 = u[i];
                var isShared = shared is not null && shared[msg[i]];
                for (var j = lo; j <= hi; j++)
                {
                    var user2 = u[j];
                    if (j == i || _seenAt[user2] == stamp)
                    {
                        continue;
                    }
                    _seenAt[user2] = stamp;
                    if (isShared)
                    {
                        SharedMatches.Add(((long)msg[i] << 32) | (uint)user2);
                    }
                    else
                    {
                        Emit(user1, user2);
                    }
                }
            }
        }
    }
}
