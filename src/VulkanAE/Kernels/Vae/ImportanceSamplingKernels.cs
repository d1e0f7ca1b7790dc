using VulkanAE.Core;

namespace VulkanAE.Kernels.Vae;

/// <summary>
/// The two steps of the importance-weighted estimate of a VAE's log-likelihood (the IWAE bound,
/// Burda et al. 2015) that the model's own kernels do not cover: the log weight of each sample
/// (shaders/vae/importance_log_weight.comp) and the log of the mean of K weights per image
/// (shaders/vae/log_mean_exp.comp). Neither has a backward pass: the estimate is only evaluated.
/// </summary>
internal static class ImportanceSamplingKernels
{
    private readonly record struct LogWeightPush(uint Rows, uint Latent, uint Images, uint Samples, uint FirstSample);
    private readonly record struct LogMeanExpPush(uint Rows, uint Cols);

    private static readonly KernelSignature<WorkgroupConstants> LogWeightSignature = KernelSignature.Of<LogWeightPush, WorkgroupConstants>(
        "vae/importance_log_weight", Access.Read, Access.Read, Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> LogMeanExpSignature
        = KernelSignature.Of<LogMeanExpPush, WorkgroupConstants>("vae/log_mean_exp", Access.Read, Access.Write);

    /// <summary>
    /// logWeights[b, firstSample + s] = -reconRow[row] + sum_c (eps^2 - z^2 + lv) / 2 for row = s * images + b
    /// (sample-major rows of [rows, latent]; logWeights is [images, samples]).
    /// </summary>
    public static void LogWeights(SequenceRecorder r, Tensor reconRow, Tensor epsilon, Tensor z, Tensor logVariance, Tensor logWeights,
        int images, int samplesHere, int latent, int samples, int firstSample)
    {
        if (images < 1 || samplesHere < 1 || latent < 1 || firstSample < 0 || firstSample + samplesHere > samples)
            throw new ArgumentOutOfRangeException(nameof(samplesHere),
                $"LogWeights: samples {firstSample}..{firstSample + samplesHere - 1} of {samples} for {images} images of latent {latent}");
        long rows = (long)images * samplesHere;
        if (rows * latent > uint.MaxValue || (long)images * samples > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(samples), "LogWeights: more than 2^32 elements");
        if (reconRow.Length < rows) throw new ArgumentException($"LogWeights: {reconRow} is shorter than its {rows} rows");
        foreach (var tensor in new[] { epsilon, z, logVariance })
            if (tensor.Length < rows * latent) throw new ArgumentException($"LogWeights: {tensor} is shorter than [{rows}, {latent}]");
        if (logWeights.Length < (long)images * samples) throw new ArgumentException($"LogWeights: {logWeights} is shorter than [{images}, {samples}]");
        var kernel = r.Gpu.Kernel(LogWeightSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, rows), new LogWeightPush((uint)rows, (uint)latent, (uint)images, (uint)samples, (uint)firstSample),
            new CommandWork(4.0 * rows * latent, 4.0 * (rows * (3L * latent + 2))), reconRow, epsilon, z, logVariance, logWeights);
    }

    /// <summary>result[row] = log(mean over k of exp(values[row, k])), taken stably (the row's maximum first), for [rows, cols].</summary>
    public static void LogMeanExp(SequenceRecorder r, Tensor values, Tensor result, int rows, int cols)
    {
        if (rows < 1 || cols < 1 || (long)rows * cols > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"LogMeanExp: shape [{rows}, {cols}]");
        if (values.Length < (long)rows * cols) throw new ArgumentException($"LogMeanExp: {values} is shorter than [{rows}, {cols}]");
        if (result.Length < rows) throw new ArgumentException($"LogMeanExp: {result} is shorter than its {rows} rows");
        var kernel = r.Gpu.Kernel(LogMeanExpSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, rows), new LogMeanExpPush((uint)rows, (uint)cols),
            new CommandWork(3.0 * rows * cols, 4.0 * ((long)rows * cols + rows)), values, result);
    }
}

/// <summary>CPU reference of <see cref="ImportanceSamplingKernels"/>, in double precision.</summary>
internal static class ImportanceSamplingReference
{
    public static float[] LogWeights(ReadOnlySpan<float> reconRow, ReadOnlySpan<float> epsilon, ReadOnlySpan<float> z, ReadOnlySpan<float> logVariance,
        float[] logWeights, int images, int samplesHere, int latent, int samples, int firstSample)
    {
        for (int s = 0; s < samplesHere; s++)
            for (int b = 0; b < images; b++)
            {
                int row = s * images + b;
                double ratio = 0;
                for (int i = row * latent; i < (row + 1) * latent; i++)
                    ratio += 0.5 * ((double)epsilon[i] * epsilon[i] - (double)z[i] * z[i] + logVariance[i]);
                logWeights[b * samples + firstSample + s] = (float)(ratio - reconRow[row]);
            }
        return logWeights;
    }

    public static float[] LogMeanExp(ReadOnlySpan<float> values, int rows, int cols)
    {
        var result = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            var x = values.Slice(row * cols, cols);
            double max = double.NegativeInfinity;
            foreach (var v in x) max = Math.Max(max, v);
            if (double.IsNegativeInfinity(max))
            {
                result[row] = float.NegativeInfinity;
                continue;
            }
            double sum = 0;
            foreach (var v in x) sum += Math.Exp(v - max);
            result[row] = (float)(max + Math.Log(sum) - Math.Log(cols));
        }
        return result;
    }
}
