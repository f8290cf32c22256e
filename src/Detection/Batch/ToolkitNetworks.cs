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
/// worker counting into its own table. The work is the number of (message, message) matches, the
/// same join the toolkit's database performs, but on flat arrays in memory.
/// </remarks>
public static class ToolkitNetworks
{
    /// <summary>All three networks.</summary>
    public static ToolkitNetworkSet ComputeAll(ToolkitMessages messages, ToolkitNetworkOptions? options = null) =>
        new(Compute(messages, ToolkitNetworkKind.CoRetweet, options),
            Compute(messages, ToolkitNetworkKind.CoTweet, options),
            Compute(messages, ToolkitNetworkKind.CoLink, options));

    /// <summary>One network, its edges in ordinal order of (user 1, user 2).</summary>
    public static IReadOnlyList<ToolkitEdge> Compute(ToolkitMessages messages, ToolkitNetworkKind kind, ToolkitNetworkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options = (options ?? new ToolkitNetworkOptions()).Validate();
        var groups = Group(messages, kind);
        var weights = Sweep(messages, groups, options.WindowTicks);
        var kept = (Edges: new List<ToolkitEdge>(), Messages: messages, options.MinWeight);
        weights.ForEach(ref kept, static (ref state, user1, user2, weight) =>
        {
            if (weight >= state.MinWeight)
            {
                state.Edges.Add(new ToolkitEdge(state.Messages.UserName(user1), state.Messages.UserName(user2), weight));
            }
        });
        var edges = kept.Edges;
        edges.Sort(static (x, y) => string.CompareOrdinal(x.User1, y.User1) is var c && c != 0 ? c : string.CompareOrdinal(x.User2, y.User2));
        return edges;
    }

    /// <summary>Messages grouped by key: group g holds <c>Messages[Start[g]..Start[g + 1]]</c>, in
    /// input order. <c>Shared</c> marks messages with more than one key, which can meet the same
    /// user through two keys and must still count once.</summary>
    private sealed record Groups(int[] Start, int[] Messages, bool[]? Shared);

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

    private static PairCounter Sweep(ToolkitMessages m, Groups groups, long window)
    {
        var users = m.User.ToArray();
        var ticks = m.Ticks.ToArray();
        var groupCount = groups.Start.Length - 1;
        var workers = new List<Worker>();
        // Ranges of about a sixteenth of the groups per core balance hot keys (a viral post) without
        // paying per-group scheduling for the many groups of one or two messages.
        var rangeSize = Math.Max(256, groupCount / (Environment.ProcessorCount * 16));
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, groupCount, rangeSize),
            () => new Worker(m.UserCount),
            (range, _, worker) =>
            {
                for (var g = range.Item1; g < range.Item2; g++)
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
        workers.Sort(static (a, b) => b.Weights.Count.CompareTo(a.Weights.Count));
        var total = workers.Count > 0 ? workers[0].Weights : new PairCounter();
        for (var w = 1; w < workers.Count; w++)
        {
            total.AddAll(workers[w].Weights);
        }
        CountSharedMatches(workers, users, total);
        return total;
    }

    /// <summary>Adds the matches of messages with several keys once per (message, user), however
    /// many keys they met that user through.</summary>
    private static void CountSharedMatches(List<Worker> workers, int[] users, PairCounter total)
    {
        var length = 0;
        foreach (var w in workers)
        {
            length += w.SharedMatches.Count;
        }
        if (length == 0)
        {
            return;
        }
        var all = new long[length];
        var at = 0;
        foreach (var w in workers)
        {
            CollectionsMarshal.AsSpan(w.SharedMatches).CopyTo(all.AsSpan(at));
            at += w.SharedMatches.Count;
        }
        Array.Sort(all);
        for (var i = 0; i < all.Length; i++)
        {
            if (i > 0 && all[i] == all[i - 1])
            {
                continue;
            }
            var message = (int)(all[i] >> 32);
            total.Add(PairCounter.Pack(users[message], (int)all[i]));
        }
    }

    /// <summary>One thread's scratch space and counts.</summary>
    private sealed class Worker(int userCount)
    {
        private readonly int[] _seenAt = new int[userCount];
        private int _stamp;
        private long[] _ticks = new long[64];
        private int[] _messages = new int[64];
        private int[] _users = new int[64];

        /// <summary>weight per (user 1, user 2), packed as user 1 × 2³² + user 2.</summary>
        public PairCounter Weights { get; } = new();

        /// <summary>(message, user 2) matches of messages with several keys, packed likewise.</summary>
        public List<long> SharedMatches { get; } = [];

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
                        Weights.Add(PairCounter.Pack(user1, user2));
                    }
                }
            }
        }
    }
}
