using MathNet.Numerics.LinearAlgebra;

namespace VulkanAE.Tests.Analysis;

/// <summary>
/// PCA in double precision on the host, from the definition: the centred data, its scatter matrix
/// (X - mean)^T (X - mean) and MathNet's symmetric eigen-decomposition. The oracle of the GPU PCA,
/// whose products over the data run in fp32.
/// </summary>
internal sealed class ReferencePca
{
    public ReferencePca(float[] data, int rows, int columns)
    {
        var x = Matrix<double>.Build.Dense(rows, columns, (r, c) => data[r * columns + c]);
        Mean = Enumerable.Range(0, columns).Select(c => x.Column(c).Average()).ToArray();
        var centred = x - Matrix<double>.Build.Dense(rows, columns, (_, c) => Mean[c]);
        Scatter = centred.TransposeThisAndMultiply(centred);
        var eigen = Scatter.Evd(Symmetricity.Symmetric);
        var descending = Enumerable.Range(0, columns).Reverse().ToArray();
        Variances = descending.Select(i => eigen.EigenValues[i].Real / (rows - 1)).ToArray();
        Directions = Matrix<double>.Build.DenseOfRowVectors(descending.Select(i => eigen.EigenVectors.Column(i)));
        TotalVariance = Scatter.Trace() / (rows - 1);
    }

    public double[] Mean { get; }

    /// <summary>[d, d].</summary>
    public Matrix<double> Scatter { get; }

    /// <summary>[d] all of them, descending.</summary>
    public double[] Variances { get; }

    /// <summary>[d, d], row i the direction of variance i.</summary>
    public Matrix<double> Directions { get; }

    public double TotalVariance { get; }

    /// <summary>[k, d] row-major: the top <paramref name="k"/> directions.</summary>
    public double[] TopDirections(int k) => Directions.SubMatrix(0, k, 0, Directions.ColumnCount).ToRowMajorArray();

    /// <summary>mean + V^T V (x - mean) with the top <paramref name="k"/> directions, for every row.</summary>
    public double[] Reconstruct(float[] data, int rows, int k)
    {
        int columns = Mean.Length;
        var v = Directions.SubMatrix(0, k, 0, columns);
        var mean = Matrix<double>.Build.Dense(rows, columns, (_, c) => Mean[c]);
        var centred = Matrix<double>.Build.Dense(rows, columns, (r, c) => data[r * columns + c]) - mean;
        return (mean + centred * v.Transpose() * v).ToRowMajorArray();
    }
}
