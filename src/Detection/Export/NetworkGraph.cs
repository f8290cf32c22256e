using System.Text;
using System.Xml;
using Cib.Detection.CoActivity;
using Cib.Detection.Networks;

namespace Cib.Detection.Export;

/// <summary>An account in an exported graph.</summary>
/// <param name="Id">Account id.</param>
/// <param name="NetworkId">The network it belongs to.</param>
/// <param name="Score">That network's score.</param>
public sealed record GraphNode(string Id, string NetworkId, double Score);

/// <summary>An edge in an exported graph (undirected).</summary>
/// <param name="Source">One account.</param>
/// <param name="Target">The other.</param>
/// <param name="Weight">Crowd-discounted weight w of <see cref="EdgeSummary.Weight"/>.</param>
/// <param name="Support">Occasions s of <see cref="EdgeSummary.Support"/>.</param>
/// <param name="Kind">The kind with most occasions, as its wire name (<c>co-repost</c>).</param>
public sealed record GraphEdge(string Source, string Target, double Weight, int Support, string Kind);

/// <summary>The networks of an analysis as a graph for Gephi and other tools: nodes are the accounts
/// in networks, edges the edges that joined them.</summary>
/// <param name="Nodes">Nodes, each once.</param>
/// <param name="Edges">Edges between nodes.</param>
public sealed record NetworkGraph(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    /// <summary>The graph of <paramref name="analysis"/>'s networks, in its network order.</summary>
    public static NetworkGraph FromAnalysis(AnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in analysis.Networks)
        {
            foreach (var m in n.Cluster.Members)
            {
                // Clusters are disjoint components; the check only guards the file's id uniqueness.
                if (seen.Add(m))
                {
                    nodes.Add(new GraphNode(m, n.Id, n.Score.Score));
                }
            }
            foreach (var e in n.Cluster.Edges)
            {
                edges.Add(new GraphEdge(e.Edge.A, e.Edge.B, e.Edge.Weight, e.Edge.Support, e.Edge.DominantKind.ToWire()));
            }
        }
        return new NetworkGraph(nodes, edges);
    }

    /// <summary>Writer settings shared by the XML formats: UTF-8 without a byte order mark, indented.</summary>
    internal static XmlWriterSettings XmlSettings { get; } = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        CloseOutput = false,
    };

    /// <summary>
    /// <paramref name="value"/> with characters XML 1.0 cannot hold replaced by U+FFFD. Account ids
    /// come from other people's files; one control character must not make the whole graph unreadable.
    /// </summary>
    internal static string XmlSafe(string value)
    {
        var bad = false;
        for (var i = 0; i < value.Length; i++)
        {
            if (!IsXmlChar(value, i, out var width))
            {
                bad = true;
                break;
            }
            i += width - 1;
        }
        if (!bad)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (IsXmlChar(value, i, out var width))
            {
                sb.Append(value, i, width);
                i += width - 1;
            }
            else
            {
                sb.Append('\uFFFD');
            }
        }
        return sb.ToString();
    }

    private static bool IsXmlChar(string s, int i, out int width)
    {
        width = 1;
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return true;
        }
        return XmlConvert.IsXmlChar(s[i]);
    }
}
