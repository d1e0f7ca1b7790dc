using MathNet.Numerics.LinearAlgebra;

namespace VulkanAE.Analysis;

/// <summary>The largest eigenvalues of a symmetric matrix and their unit eigenvectors, from MathNet's symmetric EVD (which sorts ascending).</summary>
internal static class LargestEigenpairs
{
    /// <returns>The <paramref name="count"/> largest eigenvalues, descending, and [count, n] their eigenvectors as rows.</returns>
    public static (double[] Values, Matrix<double> Vectors) Of(Matrix<double> symmetric, int count)
    {
        var eigen = symmetric.Evd(Symmetricity.Symmetric);
        var descending = Enumerable.Range(0, count).Select(i => symmetric.RowCount - 1 - i).ToArray();
        return (descending.Select(i => eigen.EigenValues[i].Real).ToArray(),
            Matrix<double>.Build.DenseOfRowVectors(descending.Select(i => eigen.EigenVectors.Column(i))));
    }
}
