namespace VulkanAE.Analysis;

/// <summary>
/// Principal angles between two subspaces of R^d (Björck and Golub 1973): with Qa, Qb orthonormal
/// bases of span(A) and span(B), the singular values of Qa Qb^T are cos θ_1 &gt;= ... &gt;= cos θ_m,
/// m = min(dim A, dim B). All angles 0 means one subspace contains the other; 90 means a direction
/// of the smaller one is orthogonal to the whole larger one.
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
        var qa = a.ToArray();
        var qb = b.ToArray();
        Orthonormalization.Rows(qa, k1, dimension, "first subspace");
        Orthonormalization.Rows(qb, k2, dimension, "second subspace");

        // M = Qa Qb^T, arranged with the longer side as rows so one-sided Jacobi sees min(k1, k2) columns.
        bool transpose = k2 > k1;
        int rows = Math.Max(k1, k2), columns = Math.Min(k1, k2);
        var m = new double[rows * columns];
        for (int i = 0; i < k1; i++)
        {
            for (int j = 0; j < k2; j++)
            {
                double dot = Orthonormalization.Dot(qa.AsSpan(i * dimension, dimension), qb.AsSpan(j * dimension, dimension));
                m[transpose ? j * columns + i : i * columns + j] = dot;
            }
        }

        return SingularValues(m, rows, columns)
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

    /// <summary>
    /// Singular values of M [rows, columns], rows &gt;= columns, by one-sided Jacobi (Hestenes 1958;
    /// Demmel and Veselić 1992): rotate column pairs until all are mutually orthogonal; the column
    /// norms are then the singular values, to high relative accuracy.
    /// </summary>
    internal static double[] SingularValues(double[] m, int rows, int columns)
    {
        const int MaxSweeps = 60; // Converges quadratically; 6-10 sweeps for k <= 64.
        const double Tolerance = 1e-15;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < columns - 1; p++)
            {
                for (int q = p + 1; q < columns; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        double x = m[r * columns + p], y = m[r * columns + q];
                        alpha += x * x;
                        beta += y * y;
                        gamma += x * y;
                    }

                    if (Math.Abs(gamma) <= Tolerance * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }

                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    double c = 1 / Math.Sqrt(1 + t * t), s = c * t;
                    for (int r = 0; r < rows; r++)
                    {
                        double x = m[r * columns + p], y = m[r * columns + q];
                        m[r * columns + p] = c * x - s * y;
                        m[r * columns + q] = s * x + c * y;
                    }
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        var values = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += m[r * columns + j] * m[r * columns + j];
            }

            values[j] = Math.Sqrt(sum);
        }

        return values;
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
