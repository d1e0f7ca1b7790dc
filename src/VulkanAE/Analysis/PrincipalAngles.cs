using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace VulkanAE.Analysis;

/// <summary>
/// Principal angles between two subspaces of R^d (Björck and Golub 1973): with Qa, Qb orthonormal
/// bases of span(A) and span(B), the singular values of Qa^T Qb are cos θ_1 &gt;= ... &gt;= cos θ_m,
/// m = min(dim A, dim B). All angles 0 means one subspace contains the other; 90 means a direction
/// of the smaller one is orthogonal to the whole larger one. The bases come from MathNet's thin
/// Householder QR, the singular values from its SVD.
/// <para>
/// Spanning vectors are the ROWS of A [k1, d] and B [k2, d]. A linear decoder stored PyTorch-style
/// as weight [out = d, in = k] spans its subspace with its COLUMNS: pass its transpose (e.g.
/// <see cref="Transpose"/>). PCA directions [k, d] are already rows.
/// </para>
/// <para>
/// Angles come from arccos, so an angle near 0 is resolved to about sqrt(machine epsilon) ≈ 1e-8 rad
/// (1e-6 degrees); Knyazev and Argentati (2002) compute small angles from sines instead, which this
/// does not need: the question it answers is whether two subspaces differ by degrees, not by 1e-6.
/// </para>
/// </summary>
internal static class PrincipalAngles
{
    /// <summary>Angles in degrees, ascending, min(k1, k2) of them.</summary>
    /// <param name="a">[k1, dimension] row-major; rows need not be orthonormal, only independent.</param>
    /// <param name="b">[k2, dimension] row-major.</param>
    public static double[] Degrees(ReadOnlySpan<double> a, int k1, ReadOnlySpan<double> b, int k2, int dimension)
    {
        var qa = OrthonormalBasis(a, k1, dimension, "first subspace");
        var qb = OrthonormalBasis(b, k2, dimension, "second subspace");
        return qa.TransposeThisAndMultiply(qb).Svd(computeVectors: false).S
            .Select(cosine => Math.Acos(Math.Clamp(cosine, 0, 1)) * 180 / Math.PI)
            .Order()
            .ToArray();
    }

    /// <inheritdoc cref="Degrees(ReadOnlySpan{double}, int, ReadOnlySpan{double}, int, int)"/>
    public static double[] Degrees(ReadOnlySpan<float> a, int k1, ReadOnlySpan<float> b, int k2, int dimension) =>
        Degrees(Widen(a), k1, Widen(b), k2, dimension);

    /// <summary>[columns, rows] from [rows, columns] row-major: e.g. a PyTorch Linear weight [d, k] to its k column vectors as rows.</summary>
    public static float[] Transpose(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        if (matrix.Length != rows * columns)
        {
            throw new ArgumentException($"{matrix.Length} values for a {rows}x{columns} matrix", nameof(matrix));
        }

        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c * rows + r] = matrix[r * columns + c];
            }
        }

        return result;
    }

    /// <summary>[dimension, count] with orthonormal columns spanning the rows of <paramref name="rows"/>.</summary>
    /// <param name="what">Names the vectors in the error message.</param>
    /// <exception cref="ArgumentException">A row is (numerically) in the span of the rows before it.</exception>
    private static Matrix<double> OrthonormalBasis(ReadOnlySpan<double> rows, int count, int dimension, string what)
    {
        if ((long)count * dimension != rows.Length)
        {
            throw new ArgumentException($"{what}: {rows.Length} values for {count} vectors of dimension {dimension}");
        }

        if (count > dimension)
        {
            throw new ArgumentException($"{what}: {count} vectors of dimension {dimension} cannot be independent");
        }

        // Row-major [count, dimension] is column-major [dimension, count]: the vectors become columns.
        var vectors = Matrix<double>.Build.Dense(dimension, count, rows.ToArray());
        var qr = vectors.QR(QRMethod.Thin);
        for (int i = 0; i < count; i++)
        {
            // |R[i, i]| is the length of vector i's component orthogonal to vectors 0..i-1; below this it is rounding noise.
            if (!(Math.Abs(qr.R[i, i]) > 1e-10 * vectors.Column(i).L2Norm()))
            {
                throw new ArgumentException($"{what}: vector {i} is linearly dependent on vectors 0..{i - 1} (or zero), so they do not span {count} dimensions");
            }
        }

        return qr.Q;
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
