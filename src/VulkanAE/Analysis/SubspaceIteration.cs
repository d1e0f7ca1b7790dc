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
                    for (int j = 0; j < block; j += 2)
                    {
                        // An odd last basis vector pairs with itself; its duplicate sums are dropped.
                        int j1 = Math.Min(j + 1, block - 1);
                        var q = basis.AsSpan(j * columns + c0, width);
                        var p = basis.AsSpan(j1 * columns + c0, width);
                        var qv = MemoryMarshal.Cast<double, Vector<double>>(q);
                        var pv = MemoryMarshal.Cast<double, Vector<double>>(p);
                        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
                        Vector<double> t0 = default, t1 = default, t2 = default, t3 = default;
                        for (int v = 0; v < vectors; v++)
                        {
                            Vector<double> a = qv[v], b = pv[v], x = x0[v];
                            s0 = Vector.FusedMultiplyAdd(x, a, s0);
                            t0 = Vector.FusedMultiplyAdd(x, b, t0);
                            x = x1[v];
                            s1 = Vector.FusedMultiplyAdd(x, a, s1);
                            t1 = Vector.FusedMultiplyAdd(x, b, t1);
                            x = x2[v];
                            s2 = Vector.FusedMultiplyAdd(x, a, s2);
                            t2 = Vector.FusedMultiplyAdd(x, b, t2);
                            x = x3[v];
                            s3 = Vector.FusedMultiplyAdd(x, a, s3);
                            t3 = Vector.FusedMultiplyAdd(x, b, t3);
                        }

                        Span<double> sums = [Vector.Sum(s0), Vector.Sum(s1), Vector.Sum(s2), Vector.Sum(s3)];
                        Span<double> pairSums = [Vector.Sum(t0), Vector.Sum(t1), Vector.Sum(t2), Vector.Sum(t3)];
                        for (int c = vectors * Vector<double>.Count; c < width; c++)
                        {
                            for (int i = 0; i < RowBlock; i++)
                            {
                                sums[i] += centred[i * ColumnBlock + c] * q[c];
                                pairSums[i] += centred[i * ColumnBlock + c] * p[c];
                            }
                        }

                        for (int i = 0; i < count; i++)
                        {
                            y[(r0 + i) * block + j] += sums[i];
                            if (j1 > j)
                            {
                                y[(r0 + i) * block + j1] += pairSums[i];
                            }
                        }
                    }
                }
            }

            return centred;
        }, _ => { });
        return y;
    }

    /// <summary>
    /// Z [block, columns] = Y^T (X - mean), one column block per task, rows summed in order. The
    /// register tile is 4 basis vectors x 2 SIMD vectors of columns, accumulated over 32 data rows
    /// between loads and stores of Z.
    /// </summary>
    private static double[] TransposeTimes(float[] data, int rows, int columns, double[] mean, double[] y, int block)
    {
        const int Rows = 8 * RowBlock, Tile = 4;
        int paddedBlock = (block + Tile - 1) / Tile * Tile;
        var z = new double[block * columns];
        int columnBlocks = (columns + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, columnBlocks, cb =>
        {
            int c0 = cb * ColumnBlock;
            int width = Math.Min(ColumnBlock, columns - c0);
            var centred = new double[Rows * ColumnBlock];
            var weights = new double[Rows * paddedBlock]; // rows of Y, zero-padded to whole tiles
            var sums = new double[paddedBlock * ColumnBlock];
            for (int r0 = 0; r0 < rows; r0 += Rows)
            {
                int count = Math.Min(Rows, rows - r0);
                LoadCentred(data, columns, mean, r0, count, c0, width, centred, ColumnBlock);
                for (int i = 0; i < count; i++)
                {
                    y.AsSpan((r0 + i) * block, block).CopyTo(weights.AsSpan(i * paddedBlock, block));
                }

                for (int j = 0; j < paddedBlock; j += Tile)
                {
                    var z0 = Vectors(sums, j, ColumnBlock);
                    var z1 = Vectors(sums, j + 1, ColumnBlock);
                    var z2 = Vectors(sums, j + 2, ColumnBlock);
                    var z3 = Vectors(sums, j + 3, ColumnBlock);
                    for (int v = 0; v < z0.Length; v += 2)
                    {
                        Vector<double> a0 = z0[v], a1 = z1[v], a2 = z2[v], a3 = z3[v];
                        Vector<double> b0 = z0[v + 1], b1 = z1[v + 1], b2 = z2[v + 1], b3 = z3[v + 1];
                        for (int i = 0; i < count; i++)
                        {
                            var x = Vectors(centred, i, ColumnBlock);
                            Vector<double> xa = x[v], xb = x[v + 1];
                            int w = i * paddedBlock + j;
                            var y0 = new Vector<double>(weights[w]);
                            var y1 = new Vector<double>(weights[w + 1]);
                            var y2 = new Vector<double>(weights[w + 2]);
                            var y3 = new Vector<double>(weights[w + 3]);
                            a0 = Vector.FusedMultiplyAdd(y0, xa, a0);
                            b0 = Vector.FusedMultiplyAdd(y0, xb, b0);
                            a1 = Vector.FusedMultiplyAdd(y1, xa, a1);
                            b1 = Vector.FusedMultiplyAdd(y1, xb, b1);
                            a2 = Vector.FusedMultiplyAdd(y2, xa, a2);
                            b2 = Vector.FusedMultiplyAdd(y2, xb, b2);
                            a3 = Vector.FusedMultiplyAdd(y3, xa, a3);
                            b3 = Vector.FusedMultiplyAdd(y3, xb, b3);
                        }

                        (z0[v], z1[v], z2[v], z3[v]) = (a0, a1, a2, a3);
                        (z0[v + 1], z1[v + 1], z2[v + 1], z3[v + 1]) = (b0, b1, b2, b3);
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

    /// <summary>Rows r0..r0+count-1, columns c0..c0+width-1 of X - mean into <paramref name="target"/> [rows, stride]; the rest zero.</summary>
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
