using System.Numerics;
using System.Runtime.InteropServices;

namespace VulkanAE.Analysis;

/// <summary>
/// Top eigenpairs of the covariance of a data matrix without forming it: block subspace iteration
/// with Rayleigh-Ritz (Golub and Van Loan, Matrix Computations, 8.2.4; the randomized range finder
/// of Halko, Martinsson and Tropp 2011, iterated to convergence). For 64x64x3 images (d = 12288)
/// the covariance would be 1.2 GB and its n d^2 / 2 = 4e12 multiply-adds plus the O(d^3)
/// eigensolve take hours on two cores; here each iteration costs two passes over the data,
/// 2 n d l multiply-adds for a block of l = k + oversampling vectors, and memory is O(d l).
/// (The n x n Gram-matrix trick only pays when n is small; the image sets here have tens of
/// thousands of rows, which makes the Gram matrix as large as the covariance.)
/// Iteration stops when every wanted Ritz pair has relative residual ||C v - θ v|| / θ below the
/// tolerance; by the Davis-Kahan theorem the angle to the true eigenvector is then at most about
/// θ · residual / gap.
/// </summary>
internal static class SubspaceIteration
{
    /// <param name="Values">Top <c>k</c> eigenvalues of the sample covariance (divisor n - 1), descending.</param>
    /// <param name="Vectors">[k, d] row-major, orthonormal eigenvectors.</param>
    /// <param name="Residual">Largest relative residual among the k pairs returned.</param>
    public readonly record struct Result(double[] Values, double[] Vectors, int Iterations, double Residual);

    private const int RowBlock = 4;
    private const int ColumnBlock = 256;

    public static Result TopEigenpairs(float[] data, int rows, int columns, double[] mean, int components, int seed, double tolerance, int maxIterations)
    {
        if (components > rows - 1)
        {
            throw new ArgumentException($"{components} principal components asked of {rows} samples: centred data has rank at most {rows - 1}", nameof(components));
        }

        int block = Math.Min(Math.Min(columns, rows - 1), components + Math.Max(components, 8));
        var basis = RandomGaussian(block * columns, seed);
        Orthonormalization.Rows(basis, block, columns, "subspace iteration start");

        var ritzVectors = new double[block * columns];
        var imageOfRitz = new double[block * columns];
        for (int iteration = 1; ; iteration++)
        {
            var projections = ProjectRows(data, rows, columns, mean, basis, block); // Y = Xc Q^T [n, l]
            var image = TransposeTimes(data, rows, columns, mean, projections, block); // Z = Xc^T Y [l, d]
            var gram = Gram(projections, rows, block); // Y^T Y = Q S Q^T
            var small = SymmetricEigen.Decompose(gram, block);

            // Ritz vectors V = W Q and their images C V = W Z / (n - 1), in descending Ritz value order.
            Combine(small.Vectors, basis, ritzVectors, block, columns, 1.0);
            Combine(small.Vectors, image, imageOfRitz, block, columns, 1.0 / (rows - 1));
            var values = small.Values.Select(v => v / (rows - 1)).ToArray();
            double residual = LargestResidual(ritzVectors, imageOfRitz, values, components, columns);
            if (residual <= tolerance || iteration >= maxIterations)
            {
                return new Result(values[..components], ritzVectors[..(components * columns)], iteration, residual);
            }

            Array.Copy(imageOfRitz, basis, basis.Length);
            Orthonormalization.Rows(basis, block, columns, "subspace iteration block");
        }
    }

    private static double LargestResidual(double[] vectors, double[] images, double[] values, int count, int columns)
    {
        double largest = 0;
        for (int i = 0; i < count; i++)
        {
            var v = vectors.AsSpan(i * columns, columns);
            var cv = images.AsSpan(i * columns, columns);
            double squares = 0;
            for (int c = 0; c < columns; c++)
            {
                double r = cv[c] - values[i] * v[c];
                squares += r * r;
            }

            // A zero eigenvalue has no relative scale; measure it against the largest instead.
            double scale = values[i] > 1e-12 * values[0] ? values[i] : values[0];
            largest = Math.Max(largest, Math.Sqrt(squares) / scale);
        }

        return largest;
    }

    /// <summary>
    /// Y [rows, block] = (X - mean) Q^T. A task takes 32 data rows and walks the columns in chunks, so
    /// each chunk of the basis (block x 256 doubles) is read from cache once per 32 rows rather than
    /// streamed from memory once per row; inside, four rows share each basis vector load.
    /// </summary>
    private static double[] ProjectRows(float[] data, int rows, int columns, double[] mean, double[] basis, int block)
    {
        const int RowsPerTask = 8 * RowBlock;
        var y = new double[rows * block];
        int tasks = (rows + RowsPerTask - 1) / RowsPerTask;
        Parallel.For(0, tasks, () => new double[RowBlock * ColumnBlock], (task, _, centred) =>
        {
            var x0 = Vectors(centred, 0, ColumnBlock);
            var x1 = Vectors(centred, 1, ColumnBlock);
            var x2 = Vectors(centred, 2, ColumnBlock);
            var x3 = Vectors(centred, 3, ColumnBlock);
            int taskEnd = Math.Min(rows, (task + 1) * RowsPerTask);
            for (int c0 = 0; c0 < columns; c0 += ColumnBlock)
            {
                int width = Math.Min(ColumnBlock, columns - c0);
                int vectors = width / Vector<double>.Count;
                for (int r0 = task * RowsPerTask; r0 < taskEnd; r0 += RowBlock)
                {
                    int count = Math.Min(RowBlock, taskEnd - r0);
                    LoadCentred(data, columns, mean, r0, count, c0, width, centred, ColumnBlock);
                    for (int j = 0; j < block; j++)
                    {
                        var q = basis.AsSpan(j * columns + c0, width);
                        var qv = MemoryMarshal.Cast<double, Vector<double>>(q);
                        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
                        for (int v = 0; v < vectors; v++)
                        {
                            s0 = Vector.FusedMultiplyAdd(x0[v], qv[v], s0);
                            s1 = Vector.FusedMultiplyAdd(x1[v], qv[v], s1);
                            s2 = Vector.FusedMultiplyAdd(x2[v], qv[v], s2);
                            s3 = Vector.FusedMultiplyAdd(x3[v], qv[v], s3);
                        }

                        Span<double> sums = [Vector.Sum(s0), Vector.Sum(s1), Vector.Sum(s2), Vector.Sum(s3)];
                        for (int c = vectors * Vector<double>.Count; c < width; c++)
                        {
                            for (int i = 0; i < RowBlock; i++)
                            {
                                sums[i] += centred[i * ColumnBlock + c] * q[c];
                            }
                        }

                        for (int i = 0; i < count; i++)
                        {
                            y[(r0 + i) * block + j] += sums[i];
                        }
                    }
                }
            }

            return centred;
        }, _ => { });
        return y;
    }

    /// <summary>Z [block, columns] = Y^T (X - mean), one column block per task, rows summed in order.</summary>
    private static double[] TransposeTimes(float[] data, int rows, int columns, double[] mean, double[] y, int block)
    {
        var z = new double[block * columns];
        int columnBlocks = (columns + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, columnBlocks, cb =>
        {
            int c0 = cb * ColumnBlock;
            int width = Math.Min(ColumnBlock, columns - c0);
            var centred = new double[RowBlock * ColumnBlock];
            var sums = new double[block * ColumnBlock];
            var x0 = Vectors(centred, 0, ColumnBlock);
            var x1 = Vectors(centred, 1, ColumnBlock);
            var x2 = Vectors(centred, 2, ColumnBlock);
            var x3 = Vectors(centred, 3, ColumnBlock);
            for (int r0 = 0; r0 < rows; r0 += RowBlock)
            {
                int count = Math.Min(RowBlock, rows - r0);
                LoadCentred(data, columns, mean, r0, count, c0, width, centred, ColumnBlock);
                for (int j = 0; j < block; j++)
                {
                    var y0 = new Vector<double>(y[r0 * block + j]);
                    var y1 = new Vector<double>(count > 1 ? y[(r0 + 1) * block + j] : 0);
                    var y2 = new Vector<double>(count > 2 ? y[(r0 + 2) * block + j] : 0);
                    var y3 = new Vector<double>(count > 3 ? y[(r0 + 3) * block + j] : 0);
                    var s = MemoryMarshal.Cast<double, Vector<double>>(sums.AsSpan(j * ColumnBlock, ColumnBlock));
                    for (int v = 0; v < s.Length; v++)
                    {
                        s[v] = Vector.FusedMultiplyAdd(y3, x3[v], Vector.FusedMultiplyAdd(y2, x2[v], Vector.FusedMultiplyAdd(y1, x1[v], Vector.FusedMultiplyAdd(y0, x0[v], s[v]))));
                    }
                }
            }

            for (int j = 0; j < block; j++)
            {
                sums.AsSpan(j * ColumnBlock, width).CopyTo(z.AsSpan(j * columns + c0, width));
            }
        });
        return z;
    }

    /// <summary>Rows r0..r0+count-1, columns c0..c0+width-1 of X - mean into <paramref name="target"/> [4, stride]; the rest zero.</summary>
    private static void LoadCentred(float[] data, int columns, double[] mean, int r0, int count, int c0, int width, double[] target, int stride)
    {
        Array.Clear(target);
        for (int i = 0; i < count; i++)
        {
            var source = data.AsSpan((r0 + i) * columns + c0, width);
            var row = target.AsSpan(i * stride, width);
            for (int c = 0; c < width; c++)
            {
                row[c] = source[c] - mean[c0 + c];
            }
        }
    }

    private static double[] Gram(double[] y, int rows, int block)
    {
        var gram = new double[block * block];
        Parallel.For(0, block, i =>
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    sum += y[r * block + i] * y[r * block + j];
                }

                gram[i * block + j] = sum;
                gram[j * block + i] = sum;
            }
        });
        return gram;
    }

    /// <summary>target [block, columns] = scale · W source, W [block, block].</summary>
    private static void Combine(double[] w, double[] source, double[] target, int block, int columns, double scale)
    {
        Parallel.For(0, block, i =>
        {
            var row = target.AsSpan(i * columns, columns);
            row.Clear();
            for (int j = 0; j < block; j++)
            {
                double weight = w[i * block + j] * scale;
                var s = source.AsSpan(j * columns, columns);
                for (int c = 0; c < columns; c++)
                {
                    row[c] += weight * s[c];
                }
            }
        });
    }

    private static Span<Vector<double>> Vectors(double[] rowsOfStride, int row, int stride) =>
        MemoryMarshal.Cast<double, Vector<double>>(rowsOfStride.AsSpan(row * stride, stride));

    private static double[] RandomGaussian(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Box-Muller; 1 - u keeps the logarithm finite.
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }

        return values;
    }
}
