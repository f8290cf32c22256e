namespace Cib.Detection.Graphs;

/// <summary>
/// Disjoint sets over vertices 0..n-1 with union by size and path halving; iterative, flat arrays.
/// </summary>
public sealed class UnionFind
{
    private readonly int[] _parent;
    private readonly int[] _size;

    /// <summary>n singleton sets.</summary>
    public UnionFind(int n)
    {
        _parent = new int[n];
        _size = new int[n];
        for (var i = 0; i < n; i++)
        {
            _parent[i] = i;
            _size[i] = 1;
        }
    }

    /// <summary>The representative of x's set.</summary>
    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <summary>Merges the sets of a and b; true when they were different.</summary>
    public bool Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra == rb)
        {
            return false;
        }
        if (_size[ra] < _size[rb])
        {
            (ra, rb) = (rb, ra);
        }
        _parent[rb] = ra;
        _size[ra] += _size[rb];
        return true;
    }

    /// <summary>
    /// Component label per vertex, numbered 0.. in order of each component's smallest vertex, so
    /// labels are deterministic for a given vertex numbering.
    /// </summary>
    public int[] Labels(out int count)
    {
        var n = _parent.Length;
        var labels = new int[n];
        var byRoot = new int[n];
        Array.Fill(byRoot, -1);
        count = 0;
        for (var v = 0; v < n; v++)
        {
            var r = Find(v);
            if (byRoot[r] < 0)
            {
                byRoot[r] = count++;
            }
            labels[v] = byRoot[r];
        }
        return labels;
    }
}
