using System.Text;
using Cib.Detection.CoActivity;
using Cib.Detection.Export;
using Cib.Detection.Signals;
using Cib.Grains.Ingest;
using Cib.Grains.Interfaces;
using Cib.Runtime;
using Cib.Silo.Security;

namespace Cib.Silo.Api;

/// <summary>What investigators need beyond the basic queries: filters, timelines, history, target search, exports.</summary>
internal static class InvestigatorApi
{
    /// <summary>Most actions returned by a timeline or a history.</summary>
    private const int MaxPoints = 20_000;

    public static void MapInvestigatorApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/networks/{id}/timeline", TimelineAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/accounts/{id}/history", (string id, SignalLog log, int? limit) =>
            Results.Ok(log.ReadAccounts([id], Math.Clamp(limit ?? 1000, 1, MaxPoints)))).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/targets", SearchTargetsAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/networks/{id}/export", ExportNetworkAsync).RequireRoles(RoleFilterExtensions.Readers);
        v1.MapGet("/graph/export", ExportGraphAsync).RequireRoles(RoleFilterExtensions.Readers);
    }

    /// <summary>Networks filtered as investigators ask; filters that need a network's members or targets load its grain.</summary>
    public static async Task<IResult> ListNetworksAsync(IGrainFactory g, string? status, double? minScore, int? minSize, int? maxSize, string? kind, string? review,
        string? label, string? target, DateTimeOffset? seenAfter, DateTimeOffset? seenBefore, int? limit)
    {
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        IEnumerable<NetworkSummary> networks = directory.Networks.Where(n =>
            (status is null || string.Equals(n.Status, status, StringComparison.OrdinalIgnoreCase)) &&
            (minScore is null || n.Score >= minScore) &&
            (minSize is null || n.Size >= minSize) &&
            (maxSize is null || n.Size <= maxSize) &&
            (kind is null || string.Equals(n.DominantKind, kind, StringComparison.OrdinalIgnoreCase)) &&
            (review is null || string.Equals(n.Review, review, StringComparison.OrdinalIgnoreCase)) &&
            (seenAfter is null || n.LastSeen >= seenAfter) &&
            (seenBefore is null || n.FirstSeen <= seenBefore));
        if (label is not null || target is not null)
        {
            var labels = (await g.GetGrain<IGovernanceGrain>(SweepGrainKeys.Default).GetAsync()).LabelsOfAccount;
            var kept = new List<NetworkSummary>();
            foreach (var n in networks)
            {
                var snapshot = await g.GetGrain<INetworkGrain>(n.Id).GetAsync();
                if (snapshot is null)
                {
                    continue;
                }
                if (label is not null && !snapshot.Members.Any(m => labels.GetValueOrDefault(m)?.Contains(label) == true))
                {
                    continue;
                }
                if (target is not null && !(snapshot.Targets ?? []).Any(t => t.Contains(target, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                kept.Add(n);
            }
            networks = kept;
        }
        return Results.Ok(networks.OrderByDescending(n => n.Score).ThenBy(n => n.Id, StringComparer.Ordinal).Take(Math.Clamp(limit ?? 100, 1, 10_000)).ToArray());
    }

    /// <summary>
    /// The posted text behind the content evidence of the network's top edges. A co-text target key is a
    /// hash of normalised text, so the text is looked up in the log from the sampled account and time; a
    /// co-near-text key (<c>HASH_A~HASH_B~jS</c>) names both posts' text hashes, and its entry shows the two
    /// texts as <c>text A ≈ text B</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> EvidenceTexts(NetworkSnapshot n, SignalLog log)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var edge in n.TopEdges)
        {
            foreach (var sample in edge.Evidence.Where(x => x.Kind is CoActivityKind.CoText or CoActivityKind.CoNearText && !texts.ContainsKey(x.TargetKey)))
            {
                if (sample.Kind == CoActivityKind.CoText)
                {
                    if (PostedText(log, edge.A, sample.TimeA, sample.TargetKey) is { } text)
                    {
                        texts[sample.TargetKey] = text;
                    }
                    continue;
                }
                // The two hashes are in the order the evidence was made, which need not be the edge's (A, B).
                var parts = sample.TargetKey.Split('~');
                if (parts.Length >= 2 &&
                    (PostedText(log, edge.A, sample.TimeA, parts[0]) ?? PostedText(log, edge.A, sample.TimeA, parts[1])) is { } a &&
                    (PostedText(log, edge.B, sample.TimeB, parts[1]) ?? PostedText(log, edge.B, sample.TimeB, parts[0])) is { } b)
                {
                    texts[sample.TargetKey] = $"{a} ≈ {b}";
                }
            }
        }
        return texts;
    }

    private static string? PostedText(SignalLog log, string account, DateTimeOffset at, string textHash) =>
        log.ReadAccountAt(account, at).FirstOrDefault(s => s.Text is { } t && TextNormalizer.Fingerprint(TextNormalizer.Normalize(t)) == textHash)?.Text;

    private static async Task<IResult> TimelineAsync(string id, IGrainFactory g, SignalLog log, int? limit)
    {
        if (await g.GetGrain<INetworkGrain>(id).GetAsync() is not { } n)
        {
            return Results.Problem(detail: $"no network has id \"{id}\"", statusCode: 404, title: "network not found");
        }
        var max = Math.Clamp(limit ?? 5000, 1, MaxPoints);
        var evidence = (n.Targets ?? []).ToHashSet(StringComparer.Ordinal);
        var signals = log.ReadAccounts(n.Members.ToArray(), max + 1);
        var points = signals.Take(max).Select(s => new TimelinePoint(s.Account, s.Timestamp, s.Kind.ToWire(), s.Target,
            TargetExtractor.Extract(s).Any(t => evidence.Contains($"{t.Kind.ToWire()}:{t.Key}")))).ToArray();
        return Results.Ok(new NetworkTimeline(id, n.Members, points, signals.Count > max));
    }

    private static async Task<IResult> SearchTargetsAsync(IGrainFactory g, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return Results.Problem(detail: "give \"q\": a URL, hashtag, post id or part of one", statusCode: 400, title: "missing query");
        }
        // A URL is compared in canonical form, a hashtag without its '#', so the spelling of the query does not matter.
        var needles = new[] { q.Trim(), UrlCanonicalizer.Canonicalize(q), q.Trim().TrimStart('#').ToLowerInvariant() }.Distinct().ToArray();
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        var hits = new List<TargetHit>();
        foreach (var summary in directory.Networks)
        {
            var n = await g.GetGrain<INetworkGrain>(summary.Id).GetAsync();
            var matched = (n?.Targets ?? []).Where(t => needles.Any(x => t.Contains(x, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (matched.Length > 0)
            {
                hits.Add(new TargetHit(summary.Id, summary.Status, summary.Score, summary.Size, matched));
            }
        }
        return Results.Ok(hits.OrderByDescending(h => h.Score).ToArray());
    }

    private static async Task<IResult> ExportNetworkAsync(string id, string? format, IGrainFactory g)
    {
        if (await g.GetGrain<INetworkGrain>(id).GetAsync() is not { } n)
        {
            return Results.Problem(detail: $"no network has id \"{id}\"", statusCode: 404, title: "network not found");
        }
        return Export([n], format, id);
    }

    private static async Task<IResult> ExportGraphAsync(string? format, string? status, IGrainFactory g)
    {
        var directory = await g.GetGrain<INetworkDirectoryGrain>(SweepGrainKeys.Default).GetAsync();
        var snapshots = new List<NetworkSnapshot>();
        foreach (var s in directory.Networks.Where(s => status is null || s.Status == status))
        {
            if (await g.GetGrain<INetworkGrain>(s.Id).GetAsync() is { } n)
            {
                snapshots.Add(n);
            }
        }
        return Export(snapshots, format, "cib-graph");
    }

    /// <summary>GEXF or GraphML for Gephi, or the edges as CSV; each network contributes its stored (heaviest) edges.</summary>
    private static IResult Export(IReadOnlyList<NetworkSnapshot> networks, string? format, string name)
    {
        var nodes = networks.SelectMany(n => n.Members.Select(m => new GraphNode(m, n.Summary.Id, n.Summary.Score))).ToArray();
        var edges = networks.SelectMany(n => n.TopEdges.Select(e => new GraphEdge(e.A, e.B, e.Weight, e.Support,
            e.SupportByKind.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault() ?? "unknown"))).ToArray();
        var graph = new NetworkGraph(nodes, edges);
        using var buffer = new MemoryStream();
        switch (format ?? "gexf")
        {
            case "gexf":
                GexfWriter.Write(buffer, graph);
                return Results.File(buffer.ToArray(), "application/gexf+xml", name + ".gexf");
            case "graphml":
                GraphMLWriter.Write(buffer, graph);
                return Results.File(buffer.ToArray(), "application/graphml+xml", name + ".graphml");
            case "csv":
                var sb = new StringBuilder("network,a,b,support,weight,jaccard,mean_gap_s,kinds\r\n");
                foreach (var n in networks)
                {
                    foreach (var e in n.TopEdges)
                    {
                        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{n.Summary.Id},{Csv(e.A)},{Csv(e.B)},{e.Support},{e.Weight:R},{e.Jaccard:R},{e.MeanGapSeconds:R},{Csv(string.Join(' ', e.SupportByKind.Select(kv => $"{kv.Key}={kv.Value}")))}\r\n");
                    }
                }
                return Results.File(Encoding.UTF8.GetBytes(sb.ToString()), "text/csv", name + ".csv");
            default:
                return Results.Problem(detail: $"\"format\" must be gexf, graphml or csv (got \"{format}\")", statusCode: 400, title: "unknown format");
        }
    }

    private static string Csv(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
