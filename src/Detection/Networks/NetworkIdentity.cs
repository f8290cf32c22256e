using System.Security.Cryptography;
using System.Text;

namespace Cib.Detection.Networks;

/// <summary>
/// Gives clusters identities that stay stable across sweeps: a cluster takes the id of the earlier
/// network it shares the most members with, when that overlap is at least half of the smaller of
/// the two (so a network that grows, shrinks a little or comes back is recognised); each earlier id
/// goes to at most one cluster, best overlaps first. Other clusters get a new id derived from their
/// sorted members, so the same cluster gets the same id whatever order sweeps find it in.
/// </summary>
public static class NetworkIdentity
{
    /// <summary>Minimum overlap / min(|cluster|, |earlier network|) to keep an earlier id.</summary>
    public const double MinOverlap = 0.5;

    /// <summary>Ids for <paramref name="clusters"/> (each a sorted member list), in the same order.</summary>
    public static string[] Assign(IReadOnlyList<IReadOnlyList<string>> clusters, IReadOnlyDictionary<string, string> previousNetworkOfAccount, IReadOnlyDictionary<string, int> previousSizes)
    {
        var candidates = new List<(int Cluster, string Id, int Overlap, double Ratio)>();
        for (var c = 0; c < clusters.Count; c++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var account in clusters[c])
            {
                if (previousNetworkOfAccount.TryGetValue(account, out var id))
                {
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
            }
            foreach (var (id, overlap) in counts)
            {
                var ratio = overlap / (double)Math.Min(clusters[c].Count, Math.Max(1, previousSizes.GetValueOrDefault(id, overlap)));
                if (ratio >= MinOverlap)
                {
                    candidates.Add((c, id, overlap, ratio));
                }
            }
        }
        var ids = new string?[clusters.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (cluster, id, _, _) in candidates
            .OrderByDescending(x => x.Overlap).ThenByDescending(x => x.Ratio).ThenBy(x => x.Id, StringComparer.Ordinal).ThenBy(x => x.Cluster))
        {
            if (ids[cluster] is null && taken.Add(id))
            {
                ids[cluster] = id;
            }
        }
        for (var c = 0; c < clusters.Count; c++)
        {
            if (ids[c] is null)
            {
                var id = NewId(clusters[c]);
                // Two distinct member lists never hash alike in practice; the suffix keeps ids unique regardless.
                var unique = id;
                for (var k = 2; !taken.Add(unique); k++)
                {
                    unique = $"{id}-{k}";
                }
                ids[c] = unique;
            }
        }
        return ids!;
    }

    /// <summary><c>net-</c> and the first 10 hex digits of SHA-256 over the sorted members, newline-separated.</summary>
    public static string NewId(IReadOnlyList<string> sortedMembers)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sortedMembers)));
        return "net-" + Convert.ToHexStringLower(bytes)[..10];
    }
}
