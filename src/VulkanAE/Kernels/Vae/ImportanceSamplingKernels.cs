using VulkanAE.Core;
using static VulkanAE.Core.SpecializationConstant;
using VulkanAE.Kernels.Loss;
using VulkanAE.Kernels.Reduce;

namespace VulkanAE.Kernels.Vae;

/// <summary>
/// The two steps of the importance-weighted estimate of a VAE's log-likelihood (the IWAE bound,
/// Burda et al. 2015) that the model's own kernels do not cover: the log weight of each sample
/// (shaders/vae/importance_log_weight.comp) and the log of the mean of K weights per image
/// (shaders/vae/log_mean_exp.comp). Neither has a backward pass: the estimate is only evaluated.
/// </summary>
internal static class ImportanceSamplingKernels
{
    private readonly record struct LogWeightPush(uint Rows, uint Features, uint Latent, uint Images, uint Samples, uint FirstSample);
    private readonly record struct LogMeanExpPush(uint Rows, uint Cols);

    private readonly record struct LogWeightConstants(uint WorkgroupSize, bool OneWorkgroupPerRow) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants => [Of(0, WorkgroupSize), Of(1, OneWorkgroupPerRow)];
    }

    private static readonly KernelSignature<LogWeightConstants> LogWeightSignature = KernelSignature.Of<LogWeightPush, LogWeightConstants>(
        "vae/importance_log_weight", Access.Read, Access.Read, Access.Read, Access.Read, Access.Read, Access.Write);
    private static readonly KernelSignature<WorkgroupConstants> LogMeanExpSignature
        = KernelSignature.Of<LogMeanExpPush, WorkgroupConstants>("vae/log_mean_exp", Access.Read, Access.Write);

    /// <summary>
    /// logWeights[b, chunk.FirstSample + s] = -sum_p BCE(logits[row, p], images[b, p]) + sum_c (eps^2 - z^2 + lv) / 2
    /// for row = s * images + b: sample-major rows of logits [rows, features] and of eps, z, logVariance
    /// [rows, latent]; images [images, features] read in place for each of their samples; logWeights is [images, samples].
    /// </summary>
    public static void LogWeights(SequenceRecorder r, Tensor logits, Tensor images, Tensor epsilon, Tensor z, Tensor logVariance, Tensor logWeights,
        ImportanceChunk chunk, RowReduction? rowReduction = null)
    {
        var (imageCount, samplesHere, firstSample, samples, features, latent) = chunk;
        if (imageCount < 1 || samplesHere < 1 || features < 1 || latent < 1 || firstSample < 0 || firstSample + samplesHere > samples)
            throw new ArgumentOutOfRangeException(nameof(chunk),
                $"LogWeights: samples {firstSample}..{firstSample + samplesHere - 1} of {samples} for {imageCount} images of {features} pixels, latent {latent}");
        long rows = chunk.Rows;
        if (rows * Math.Max(features, latent) > uint.MaxValue || (long)imageCount * samples > uint.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(chunk), "LogWeights: more than 2^32 elements");
        if (logits.Length < rows * features) throw new ArgumentException($"LogWeights: {logits} is shorter than [{rows}, {features}]");
        if (images.Length < (long)imageCount * features) throw new ArgumentException($"LogWeights: {images} is shorter than [{imageCount}, {features}]");
        foreach (var tensor in new[] { epsilon, z, logVariance })
            if (tensor.Length < rows * latent) throw new ArgumentException($"LogWeights: {tensor} is shorter than [{rows}, {latent}]");
        if (logWeights.Length < (long)imageCount * samples) throw new ArgumentException($"LogWeights: {logWeights} is shorter than [{imageCount}, {samples}]");
        var launch = RowReductions.Launch(r.Gpu, rowReduction, rows);
        var kernel = r.Gpu.Kernel(LogWeightSignature, new LogWeightConstants(launch.WorkgroupSize, launch.OneWorkgroupPerRow));
        r.Dispatch(kernel, launch.Groups,
            new LogWeightPush((uint)rows, (uint)features, (uint)latent, (uint)imageCount, (uint)samples, (uint)firstSample),
            new CommandWork(rows * (6.0 * features + 4.0 * latent), 4.0 * (rows * (features + 3L * latent + 1) + (long)imageCount * features)),
            logits, images, epsilon, z, logVariance, logWeights);
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

/// <summary>
/// The shape of one dispatch of <see cref="ImportanceSamplingKernels.LogWeights"/>: <paramref name="SamplesHere"/>
/// samples, from <paramref name="FirstSample"/> of <paramref name="Samples"/>, of each of <paramref name="Images"/> images
/// of <paramref name="Features"/> pixels, with a latent of <paramref name="Latent"/>.
/// </summary>
internal readonly record struct ImportanceChunk(int Images, int SamplesHere, int FirstSample, int Samples, int Features, int Latent)
{
    /// <summary>Sample-major rows: row = s * Images + b.</summary>
    public long Rows => (long)Images * SamplesHere;
}

/// <summary>CPU reference of <see cref="ImportanceSamplingKernels"/>, in double precision.</summary>
internal static class ImportanceSamplingReference
{
    public static float[] LogWeights(ReadOnlySpan<float> logits, ReadOnlySpan<float> images, ReadOnlySpan<float> epsilon, ReadOnlySpan<float> z,
        ReadOnlySpan<float> logVariance, float[] logWeights, ImportanceChunk chunk)
    {
        var (imageCount, samplesHere, firstSample, samples, features, latent) = chunk;
        for (int s = 0; s < samplesHere; s++)
            for (int b = 0; b < imageCount; b++)
            {
                int row = s * imageCount + b;
                double logWeight = 0;
                for (int p = 0; p < features; p++)
                    logWeight -= LossReference.BinaryCrossEntropyWithLogits(logits[row * features + p], images[b * features + p]);
                for (int i = row * latent; i < (row + 1) * latent; i++)
                    logWeight += 0.5 * ((double)epsilon[i] * epsilon[i] - (double)z[i] * z[i] + logVariance[i]);
                logWeights[b * samples + firstSample + s] = (float)logWeight;
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
