using Cib.Detection.CoActivity;

namespace Cib.Benchmarks;

/// <summary>Seeded synthetic inputs shared by the kernel benchmarks, so that each kernel is timed on
/// the same shape of data: heavy-tailed targets, a few hot posts, a long tail of quiet ones.</summary>
internal static class KernelInputs
{
    public static readonly long Start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    /// <summary><paramref name="count"/> repost actions spread over one day.</summary>
    public static (string Account, CoActivityTarget Target, long Ticks)[] Actions(int count)
    {
        var random = new Random(7);
        var actions = new (string, CoActivityTarget, long)[count];
        for (var i = 0; i < count; i++)
        {
            var target = (int)Math.Floor(Math.Pow(random.NextDouble(), 3) * (count / 20));
            actions[i] = ($"u{random.Next(count / 10)}", new CoActivityTarget(CoActivityKind.CoRepost, $"p{target}"), Start + ((long)i * TimeSpan.TicksPerDay / count));
        }
        return actions;
    }

    /// <summary>A graph of <paramref name="vertices"/> vertices: planted communities of 20 to 50
    /// vertices, dense inside, plus sparse noise between random vertices.</summary>
    public static List<(int U, int V, double Weight)> PlantedGraph(int vertices, int seed = 11)
    {
        var random = new Random(seed);
        var edges = new List<(int, int, double)>();
        var v = 0;
        while (v < vertices)
        {
            var size = Math.Min(random.Next(20, 51), vertices - v);
            for (var a = v; a < v + size; a++)
            {
                for (var b = a + 1; b < v + size; b++)
                {
                    if (random.NextDouble() < 0.3)
                    {
                        edges.Add((a, b, 1 + random.Next(10)));
                    }
                }
            }
            v += size;
        }
        for (var i = 0; i < vertices * 2; i++)
        {
            var a = random.Next(vertices);
            var b = random.Next(vertices);
            if (a != b)
            {
                edges.Add((a, b, 1));
            }
        }
        return edges;
    }

    /// <summary><paramref name="rows"/> feature rows of <paramref name="features"/> correlated columns.</summary>
    public static List<double[]> Features(int rows, int features, int seed = 3)
    {
        var random = new Random(seed);
        var data = new List<double[]>(rows);
        for (var r = 0; r < rows; r++)
        {
            var latent = random.NextDouble();
            var row = new double[features];
            for (var f = 0; f < features; f++)
            {
                row[f] = (latent * (f + 1)) + (random.NextDouble() * 0.2);
            }
            data.Add(row);
        }
        return data;
    }
}
