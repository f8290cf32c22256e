using Cib.Detection.Scoring;

namespace Cib.Detection.Tests.Scoring;

public class MatricesTests
{
    [Fact]
    public void Symmetric_eigen_reconstructs_the_matrix_with_descending_eigenvalues()
    {
        const int n = 7;
        var random = new Random(5);
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = random.NextDouble() - 0.5;
            }
        }
        var original = (double[])a.Clone();
        var values = Matrices.SymmetricEigen(a, n, out var vectors);
        for (var k = 1; k < n; k++)
        {
            Assert.True(values[k - 1] >= values[k]);
        }
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += values[k] * vectors[(k * n) + i] * vectors[(k * n) + j];
                }
                Assert.Equal(original[(i * n) + j], sum, 10);
            }
        }
    }

    [Fact]
    public void Orthonormalise_completes_a_basis_from_dependent_vectors()
    {
        const int d = 4;
        // Vector 1 is twice vector 0 and vector 2 is zero: both must be replaced.
        double[] v = [1, 2, 3, 4, 2, 4, 6, 8, 0, 0, 0, 0];
        Matrices.Orthonormalise(v, 3, d, new Random(1));
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(i == j ? 1 : 0, Matrices.Dot(v.AsSpan(i * d, d), v.AsSpan(j * d, d)), 12);
            }
        }
    }
}
