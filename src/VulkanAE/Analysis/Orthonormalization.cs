namespace VulkanAE.Analysis;

/// <summary>
/// Modified Gram-Schmidt on the rows of a [count, dimension] matrix, in double, applied twice
/// ("twice is enough": Giraud, Langou, Rozložník 2005) so that the result is orthonormal to working
/// precision even when the rows are nearly dependent.
/// </summary>
internal static class Orthonormalization
{
    /// <summary>Orthonormalises the rows in place, in order (row i spans the same first i+1 rows as before).</summary>
    /// <param name="what">Names the vectors in the error message.</param>
    /// <exception cref="ArgumentException">A row is (numerically) in the span of the rows before it.</exception>
    public static void Rows(double[] rows, int count, int dimension, string what)
    {
        if ((long)count * dimension != rows.LongLength)
        {
            throw new ArgumentException($"{what}: {rows.LongLength} values for {count} vectors of dimension {dimension}", nameof(rows));
        }

        for (int i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * dimension, dimension);
            double original = Norm(row);
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j < i; j++)
                {
                    var previous = rows.AsSpan(j * dimension, dimension);
                    double projection = Dot(row, previous);
                    for (int c = 0; c < dimension; c++)
                    {
                        row[c] -= projection * previous[c];
                    }
                }
            }

            double norm = Norm(row);
            // Below this the direction left over is rounding noise, not a new dimension.
            if (!(norm > 1e-10 * original))
            {
                throw new ArgumentException($"{what}: vector {i} is linearly dependent on vectors 0..{i - 1} (or zero), so they do not span {count} dimensions");
            }

            for (int c = 0; c < dimension; c++)
            {
                row[c] /= norm;
            }
        }
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));
}
