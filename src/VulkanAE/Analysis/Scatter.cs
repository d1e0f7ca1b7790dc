using VulkanAE.Core;
using VulkanAE.Kernels.Dense;

namespace VulkanAE.Analysis;

/// <summary>
/// The scatter matrix S = (X - mean)^T (X - mean) [d, d] on the GPU: one matmul per block of rows
/// (C = A^T A with A the block, <see cref="MatmulKernels"/> with transposeA), each block's fp32
/// product added into a double sum on the host. For MNIST that is 60,000 x 784 x 784 multiply-adds,
/// the hot loop of PCA and exactly the product the matmul kernels are for.
/// </summary>
internal static class Scatter
{
    /// <returns>S [d, d] row-major, symmetric.</returns>
    public static double[] Compute(Gpu gpu, CenteredRowBlocks data)
    {
        int d = data.Columns;
        var sum = new double[d * d];
        var product = new float[d * d];
        using var blockProduct = gpu.CreateTensor("pca.block_scatter", (long)d * d);
        foreach (var block in data.Blocks)
        {
            gpu.Run(r => MatmulKernels.Multiply(r, block.Rows, block.Rows, blockProduct, d, d, block.Count, transposeA: true, transposeB: false));
            blockProduct.Download<float>(product);
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += product[i];
            }
        }

        // The kernel's tiles need not sum S[i, j] and S[j, i] in the same order; the eigensolver wants exact symmetry.
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double average = (sum[i * d + j] + sum[j * d + i]) / 2;
                sum[i * d + j] = sum[j * d + i] = average;
            }
        }

        return sum;
    }
}
