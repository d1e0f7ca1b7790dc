using System.Numerics;
using System.Runtime.InteropServices;

namespace VulkanAE.Analysis;

/// <summary>
/// Column means and the centred scatter matrix S = sum_r (x_r - mean)(x_r - mean)^T of a data
/// matrix, in double. S is a symmetric rank-k update (SYRK), the hot loop of PCA: 60000 x 784
/// costs n d^2 / 2 = 18 G multiply-adds. Rows are taken in chunks, centred and transposed into a
/// double buffer [d, chunk], and each 4x4 tile of the upper triangle of S accumulates its 16 dot
/// products in SIMD registers over the chunk. Tiles are independent, so they run in parallel, and
/// every element of S sums its terms in the same order whatever the thread count: the result is
/// bit-identical from run to run.
/// </summary>
internal static class Scatter
{
    private const int Tile = 4;

    /// <summary>Rows per chunk: 4 feature rows of it (4 x 256 x 8 B = 8 KB) stay in L1 while one tile row sweeps the others.</summary>
    private const int ChunkRows = 256;

    /// <param name="data">[rows, columns] row-major.</param>
    public static double[] ColumnMeans(float[] data, int rows, int columns)
    {
        CheckShape(data, rows, columns);
        var mean = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            var row = data.AsSpan(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                mean[c] += row[c];
            }
        }

        for (int c = 0; c < columns; c++)
        {
            mean[c] /= rows;
        }

        return mean;
    }

    /// <summary>trace(S) = sum over rows and columns of (x - mean)^2, without forming S.</summary>
    public static double TotalSquaredDeviation(float[] data, int rows, int columns, double[] mean)
    {
        CheckShape(data, rows, columns);
        var perRow = new double[rows];
        Parallel.For(0, rows, r =>
        {
            var row = data.AsSpan(r * columns, columns);
            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                double deviation = row[c] - mean[c];
                sum += deviation * deviation;
            }

            perRow[r] = sum;
        });
        return perRow.Sum();
    }

    /// <summary>S [columns, columns] row-major, symmetric: sum over rows of (x - mean)(x - mean)^T.</summary>
    /// <param name="data">[rows, columns] row-major.</param>
    public static double[] Centered(float[] data, int rows, int columns, double[] mean)
    {
        CheckShape(data, rows, columns);
        int tiles = (columns + Tile - 1) / Tile;
        int padded = tiles * Tile;
        int chunkStride = ChunkRows; // a multiple of every Vector<double>.Count
        var transposed = new double[padded * chunkStride]; // padding rows and columns stay 0
        var sums = new double[padded * padded];

        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            if (count < ChunkRows)
            {
                Array.Clear(transposed);
            }

            for (int r = 0; r < count; r++)
            {
                var row = data.AsSpan((start + r) * columns, columns);
                for (int c = 0; c < columns; c++)
                {
                    transposed[c * chunkStride + r] = row[c] - mean[c];
                }
            }

            Parallel.For(0, tiles, ti =>
            {
                for (int tj = ti; tj < tiles; tj++)
                {
                    AccumulateTile(transposed, chunkStride, ti * Tile, tj * Tile, sums, padded);
                }
            });
        }

        var scatter = new double[columns * columns];
        for (int i = 0; i < columns; i++)
        {
            for (int j = i; j < columns; j++)
            {
                scatter[i * columns + j] = scatter[j * columns + i] = sums[i * padded + j];
            }
        }

        return scatter;
    }

    /// <summary>sums[i0..i0+3, j0..j0+3] += X[i, :] . X[j, :] over the chunk held in <paramref name="x"/> [padded, stride].</summary>
    private static void AccumulateTile(double[] x, int stride, int i0, int j0, double[] sums, int padded)
    {
        var a0 = Row(x, i0, stride);
        var a1 = Row(x, i0 + 1, stride);
        var a2 = Row(x, i0 + 2, stride);
        var a3 = Row(x, i0 + 3, stride);
        var b0 = Row(x, j0, stride);
        var b1 = Row(x, j0 + 1, stride);
        var b2 = Row(x, j0 + 2, stride);
        var b3 = Row(x, j0 + 3, stride);
        Vector<double> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector<double> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector<double> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector<double> s30 = default, s31 = default, s32 = default, s33 = default;
        for (int v = 0; v < a0.Length; v++)
        {
            Vector<double> p0 = b0[v], p1 = b1[v], p2 = b2[v], p3 = b3[v];
            var a = a0[v];
            s00 = Vector.FusedMultiplyAdd(a, p0, s00);
            s01 = Vector.FusedMultiplyAdd(a, p1, s01);
            s02 = Vector.FusedMultiplyAdd(a, p2, s02);
            s03 = Vector.FusedMultiplyAdd(a, p3, s03);
            a = a1[v];
            s10 = Vector.FusedMultiplyAdd(a, p0, s10);
            s11 = Vector.FusedMultiplyAdd(a, p1, s11);
            s12 = Vector.FusedMultiplyAdd(a, p2, s12);
            s13 = Vector.FusedMultiplyAdd(a, p3, s13);
            a = a2[v];
            s20 = Vector.FusedMultiplyAdd(a, p0, s20);
            s21 = Vector.FusedMultiplyAdd(a, p1, s21);
            s22 = Vector.FusedMultiplyAdd(a, p2, s22);
            s23 = Vector.FusedMultiplyAdd(a, p3, s23);
            a = a3[v];
            s30 = Vector.FusedMultiplyAdd(a, p0, s30);
            s31 = Vector.FusedMultiplyAdd(a, p1, s31);
            s32 = Vector.FusedMultiplyAdd(a, p2, s32);
            s33 = Vector.FusedMultiplyAdd(a, p3, s33);
        }

        var tile = sums.AsSpan();
        int o0 = i0 * padded + j0, o1 = o0 + padded, o2 = o1 + padded, o3 = o2 + padded;
        tile[o0] += Vector.Sum(s00); tile[o0 + 1] += Vector.Sum(s01); tile[o0 + 2] += Vector.Sum(s02); tile[o0 + 3] += Vector.Sum(s03);
        tile[o1] += Vector.Sum(s10); tile[o1 + 1] += Vector.Sum(s11); tile[o1 + 2] += Vector.Sum(s12); tile[o1 + 3] += Vector.Sum(s13);
        tile[o2] += Vector.Sum(s20); tile[o2 + 1] += Vector.Sum(s21); tile[o2 + 2] += Vector.Sum(s22); tile[o2 + 3] += Vector.Sum(s23);
        tile[o3] += Vector.Sum(s30); tile[o3 + 1] += Vector.Sum(s31); tile[o3 + 2] += Vector.Sum(s32); tile[o3 + 3] += Vector.Sum(s33);
    }

    private static ReadOnlySpan<Vector<double>> Row(double[] x, int row, int stride) =>
        MemoryMarshal.Cast<double, Vector<double>>(x.AsSpan(row * stride, stride));

    private static void CheckShape(float[] data, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if ((long)rows * columns != data.LongLength)
        {
            throw new ArgumentException($"{data.LongLength} values for {rows} rows of {columns}", nameof(data));
        }
    }
}
