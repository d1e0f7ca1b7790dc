using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Analysis;

/// <summary>
/// Top eigenpairs of the covariance of a data matrix without forming it: block subspace iteration
/// with Rayleigh-Ritz (Golub and Van Loan, Matrix Computations, 8.2.4; the randomized range finder
/// of Halko, Martinsson and Tropp 2011, iterated to convergence). The two passes over the data of
/// each iteration, Y = Xc Q^T and Z = Y^T Xc (2 n d l multiply-adds each for a block of l = k +
/// oversampling vectors), run on the GPU with the matmul kernels; the l x l eigenproblem and the
/// re-orthonormalisation (QR of a d x l matrix) run on the host with MathNet.
/// <para>
/// Why this loop is ours and not the covariance with MathNet's dense eigensolver, as for MNIST:
/// for 64x64 RGB images (d = 12,288) that eigensolve does not finish in useful time. MathNet.Numerics
/// 5.0.0's managed provider (the only one that runs without native libraries), symmetric EVD with
/// vectors, CPU time on an AMD EPYC: 2.9 s at d = 1,024, 27.5 s at 2,048, 205 s at 4,096 (562 MiB
/// peak), growing as d^3: about 27 x 205 s = 1.5 hours at 12,288, with some 5 GiB of d x d
/// doubles. (12,288 itself was not run on the shared two-core machine.) This iteration took 87 s
/// on lavapipe for 10,000 such images, k = 32 (4 iterations; PcaTests.Timing_MnistAndImageSizes,
/// with the machine's two cores shared by other work). The d x d covariance is
/// also 604 MB of floats, past the 128 MiB a lavapipe buffer binding may address. MathNet does
/// the small parts here; what it lacks is an iterative top-k eigensolver over a matrix given as products.
/// </para>
/// Iteration stops when every wanted Ritz pair has relative residual ||C v - θ v|| / θ below the
/// tolerance; by the Davis-Kahan theorem the angle to the true eigenvector is then at most about
/// θ · residual / gap. The data are floats on the GPU, so the residual bottoms out near fp32's
/// rounding (see <see cref="Pca.DefaultTolerance"/>).
/// </summary>
internal static class SubspaceIteration
{
    /// <param name="Values">Top <c>k</c> eigenvalues of the sample covariance (divisor n - 1), descending.</param>
    /// <param name="Vectors">[k, d] row-major, orthonormal eigenvectors.</param>
    /// <param name="Residual">Largest relative residual among the k pairs returned.</param>
    public readonly record struct Result(double[] Values, double[] Vectors, int Iterations, double Residual);

    public static Result TopEigenpairs(Gpu gpu, CenteredRowBlocks data, int components, int seed, double tolerance, int maxIterations)
    {
        int rows = data.Rows, d = data.Columns;
        if (components > rows - 1)
        {
            throw new ArgumentException($"{components} principal components asked of {rows} samples: centred data has rank at most {rows - 1}", nameof(components));
        }

        int block = Math.Min(Math.Min(d, rows - 1), components + Math.Max(components, 8));
        var start = Matrix<double>.Build.Random(d, block, new Normal(0, 1, new Random(seed)));
        var basis = OrthonormalRows(start);

        using var basisOnDevice = gpu.CreateTensor("pca.basis", (long)block * d);
        var projections = new List<Tensor>();
        var images = new List<Tensor>();
        try
        {
            foreach (var rowBlock in data.Blocks)
            {
                projections.Add(gpu.CreateTensor($"pca.projections{rowBlock.First}", (long)rowBlock.Count * block));
                images.Add(gpu.CreateTensor($"pca.image{rowBlock.First}", (long)block * d));
            }

            using var pass = Sequence.Record(gpu, "pca.subspace_iteration", r =>
            {
                for (int b = 0; b < data.Blocks.Count; b++)
                {
                    var rowBlock = data.Blocks[b];
                    // Y_b [count, l] = X_b Q^T; Z_b [l, d] = Y_b^T X_b.
                    MatmulKernels.Multiply(r, rowBlock.Rows, basisOnDevice, projections[b], rowBlock.Count, block, d, transposeA: false, transposeB: true);
                    MatmulKernels.Multiply(r, projections[b], rowBlock.Rows, images[b], block, d, rowBlock.Count, transposeA: true, transposeB: false);
                }
            });

            var rowsOfBlock = new float[block * d];
            for (int iteration = 1; ; iteration++)
            {
                // Z = Q S up to the float rounding of Q (2^-24 relative), below what the fp32 products resolve anyway.
                basisOnDevice.Upload<float>(basis.ToRowMajorArray().Select(v => (float)v).ToArray());
                pass.Submit().Wait();
                var image = Matrix<double>.Build.Dense(block, d);
                foreach (var tensor in images)
                {
                    tensor.Download<float>(rowsOfBlock);
                    image += Matrix<double>.Build.DenseOfRowMajor(block, d, rowsOfBlock.Select(v => (double)v));
                }

                // Rayleigh-Ritz: the eigenpairs of Q S Q^T (symmetrised against rounding), eigenvectors as the rows of W.
                var gram = image.TransposeAndMultiply(basis);
                var (eigenvalues, w) = LargestEigenpairs.Of((gram + gram.Transpose()) / 2, block);
                var values = eigenvalues.Select(v => v / (rows - 1)).ToArray();

                // Ritz vectors V = W Q and their images C V = W Z / (n - 1).
                var ritzVectors = w * basis;
                var ritzImages = w * image / (rows - 1);
                double residual = LargestResidual(ritzVectors, ritzImages, values, components);
                if (residual <= tolerance || iteration >= maxIterations)
                {
                    return new Result(values[..components], ritzVectors.SubMatrix(0, components, 0, d).ToRowMajorArray(), iteration, residual);
                }

                basis = OrthonormalRows(ritzImages.Transpose());
            }
        }
        finally
        {
            projections.ForEach(t => t.Dispose());
            images.ForEach(t => t.Dispose());
        }
    }

    /// <summary>[l, d] orthonormal rows spanning the columns of <paramref name="columns"/> [d, l]: the Q of a thin Householder QR.</summary>
    private static Matrix<double> OrthonormalRows(Matrix<double> columns) => columns.QR(QRMethod.Thin).Q.Transpose();

    private static double LargestResidual(Matrix<double> vectors, Matrix<double> images, double[] values, int count)
    {
        double largest = 0;
        for (int i = 0; i < count; i++)
        {
            double norm = (images.Row(i) - values[i] * vectors.Row(i)).L2Norm();
            // A zero eigenvalue has no relative scale; measure it against the largest instead.
            double scale = values[i] > 1e-12 * values[0] ? values[i] : values[0];
            largest = Math.Max(largest, norm / scale);
        }

        return largest;
    }
}
