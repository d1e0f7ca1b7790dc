namespace VulkanAE.Analysis;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form
/// followed by the implicit QL algorithm with shifts (EISPACK tred2/tql2, as in JAMA and in
/// Numerical Recipes 11.2-11.3; Golub and Van Loan, Matrix Computations, 8.3). O(n^3) with a small
/// constant, backward stable, and it handles repeated eigenvalues (the vectors of a repeated
/// eigenvalue are an orthonormal basis of its eigenspace).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>Eigenvalues in descending order and, row i of <c>Vectors</c> ([n, n] row-major), the unit eigenvector of value i.</summary>
    public readonly record struct Decomposition(double[] Values, double[] Vectors, int Size);

    /// <param name="matrix">[n, n] row-major; only symmetry is assumed (the lower triangle is read). Not modified.</param>
    public static Decomposition Decompose(ReadOnlySpan<double> matrix, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        if (matrix.Length != n * n)
        {
            throw new ArgumentException($"{matrix.Length} elements for a {n}x{n} matrix", nameof(matrix));
        }

        var v = matrix.ToArray();
        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(v, d, e, n);
        // tred2 leaves the eigenvectors in the columns of v; QL rotates pairs of them, so holding
        // their transpose makes every rotation act on two contiguous rows.
        Transpose(v, n);
        DiagonalizeTridiagonal(v, d, e, n);
        return SortDescending(d, v, n);
    }

    /// <summary>tred2: v = Q (orthogonal) with Q^T A Q tridiagonal, diagonal in d, sub-diagonal in e[1..n-1].</summary>
    private static void Tridiagonalize(double[] v, double[] d, double[] e, int n)
    {
        for (int j = 0; j < n; j++)
        {
            d[j] = v[(n - 1) * n + j];
        }

        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++)
            {
                scale += Math.Abs(d[k]);
            }

            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                    v[j * n + i] = 0;
                }
            }
            else
            {
                // Householder vector, scaled against underflow.
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }

                double f = d[i - 1];
                double g = f > 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Array.Clear(e, 0, i);

                // p = A u / h, accumulated from the lower triangle.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[j * n + i] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (int k = j + 1; k < i; k++)
                    {
                        g += v[k * n + j] * d[k];
                        e[k] += v[k * n + j] * f;
                    }

                    e[j] = g;
                }

                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }

                double hh = f / (h + h);
                for (int j = 0; j < i; j++)
                {
                    e[j] -= hh * d[j];
                }

                // A -= u q^T + q u^T.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k < i; k++)
                    {
                        v[k * n + j] -= f * e[k] + g * d[k];
                    }

                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                }
            }

            d[i] = h;
        }

        // Accumulate the transformations.
        for (int i = 0; i < n - 1; i++)
        {
            v[(n - 1) * n + i] = v[i * n + i];
            v[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++)
                {
                    d[k] = v[k * n + i + 1] / h;
                }

                for (int j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (int k = 0; k <= i; k++)
                    {
                        g += v[k * n + i + 1] * v[k * n + j];
                    }

                    for (int k = 0; k <= i; k++)
                    {
                        v[k * n + j] -= g * d[k];
                    }
                }
            }

            for (int k = 0; k <= i; k++)
            {
                v[k * n + i + 1] = 0;
            }
        }

        for (int j = 0; j < n; j++)
        {
            d[j] = v[(n - 1) * n + j];
            v[(n - 1) * n + j] = 0;
        }

        v[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>tql2 on the transposed basis: row k of <paramref name="z"/> is the k-th basis vector.</summary>
    private static void DiagonalizeTridiagonal(double[] z, double[] d, double[] e, int n)
    {
        const int MaxIterationsPerValue = 60; // Typically 1-3; more means the input holds NaN or Inf.
        for (int i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }

        e[n - 1] = 0;
        double shiftSum = 0, norm = 0;
        double eps = Math.Pow(2, -52);
        for (int l = 0; l < n; l++)
        {
            norm = Math.Max(norm, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * norm)
            {
                m++;
            }

            int iterations = 0;
            while (m > l && Math.Abs(e[l]) > eps * norm)
            {
                if (++iterations > MaxIterationsPerValue)
                {
                    throw new ArithmeticException($"symmetric eigensolver: no convergence for eigenvalue {l} of {n} after {MaxIterationsPerValue} QL iterations (is the matrix finite?)");
                }

                // Wilkinson-like shift from the leading 2x2 block.
                double g = d[l];
                double p = (d[l + 1] - g) / (2 * e[l]);
                double r = Hypot(p, 1);
                if (p < 0)
                {
                    r = -r;
                }

                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                double dl1 = d[l + 1];
                double h = g - d[l];
                for (int i = l + 2; i < n; i++)
                {
                    d[i] -= h;
                }

                shiftSum += h;

                // Implicit QL sweep of Givens rotations from m up to l.
                p = d[m];
                double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                double el1 = e[l + 1];
                for (int i = m - 1; i >= l; i--)
                {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = Hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    Rotate(z.AsSpan(i * n, n), z.AsSpan((i + 1) * n, n), c, s);
                }

                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;

                m = l;
                while (m < n - 1 && Math.Abs(e[m]) > eps * norm)
                {
                    m++;
                }
            }

            d[l] += shiftSum;
            e[l] = 0;
        }
    }

    /// <summary>(zi, zj) &lt;- (c zi - s zj, s zi + c zj).</summary>
    private static void Rotate(Span<double> zi, Span<double> zj, double c, double s)
    {
        for (int k = 0; k < zi.Length; k++)
        {
            double a = zi[k], b = zj[k];
            zi[k] = c * a - s * b;
            zj[k] = s * a + c * b;
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y)
        {
            (x, y) = (y, x);
        }

        if (x == 0)
        {
            return 0;
        }

        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }

    private static void Transpose(double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                (a[i * n + j], a[j * n + i]) = (a[j * n + i], a[i * n + j]);
            }
        }
    }

    private static Decomposition SortDescending(double[] values, double[] rows, int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        // Stable, so equal eigenvalues keep the solver's order (deterministic output).
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var sortedValues = new double[n];
        var sortedRows = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            sortedValues[i] = values[order[i]];
            rows.AsSpan(order[i] * n, n).CopyTo(sortedRows.AsSpan(i * n, n));
        }

        return new Decomposition(sortedValues, sortedRows, n);
    }
}
