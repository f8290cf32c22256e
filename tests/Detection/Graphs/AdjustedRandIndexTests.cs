using Cib.Detection.Graphs;

namespace Cib.Detection.Tests.Graphs;

public class AdjustedRandIndexTests
{
    [Fact]
    public void Identical_partitions_score_one_whatever_the_label_names()
    {
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]));
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 0, 1, 1, 2], [7, 7, -3, -3, 40]), 12);
    }

    [Fact]
    public void A_small_example_matches_the_value_worked_by_hand()
    {
        // Contingency [[2,1,0],[0,1,2]]: Σ C(n_ij) = 2, Σ C(a_i) = 6, Σ C(b_j) = 3, C(6) = 15,
        // E = 6·3/15 = 1.2, ARI = (2 − 1.2) / (4.5 − 1.2) = 8/33.
        Assert.Equal(8.0 / 33.0, AdjustedRandIndex.Compute([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
    }

    [Fact]
    public void It_is_symmetric()
    {
        int[] a = [0, 0, 1, 1, 1, 2, 2, 0];
        int[] b = [1, 0, 1, 1, 2, 2, 2, 0];
        Assert.Equal(AdjustedRandIndex.Compute(a, b), AdjustedRandIndex.Compute(b, a), 12);
    }

    [Fact]
    public void Independent_random_partitions_score_about_zero()
    {
        var random = new Random(11);
        var a = Enumerable.Range(0, 20_000).Select(_ => random.Next(10)).ToArray();
        var b = Enumerable.Range(0, 20_000).Select(_ => random.Next(10)).ToArray();

        Assert.InRange(AdjustedRandIndex.Compute(a, b), -0.005, 0.005);
    }

    [Fact]
    public void Trivial_partitions_are_handled_without_dividing_by_zero()
    {
        Assert.Equal(1.0, AdjustedRandIndex.Compute([5, 5, 5], [1, 1, 1]));
        Assert.Equal(1.0, AdjustedRandIndex.Compute([0, 1, 2], [2, 0, 1]));
        Assert.Equal(0.0, AdjustedRandIndex.Compute([0, 0, 0, 0], [0, 1, 2, 3]));
        Assert.Equal(1.0, AdjustedRandIndex.Compute([], []));
        Assert.Equal(1.0, AdjustedRandIndex.Compute([3], [4]));
    }

    [Fact]
    public void Partitions_of_different_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => AdjustedRandIndex.Compute([0, 1], [0]));
    }
}
