using VulkanAE.Core;
using VulkanAE.Kernels.Training;

namespace VulkanAE.Kernels.Noise;

/// <summary>
/// Gaussian noise drawn on the device for the current training step: shaders/noise/*.comp with
/// Philox4x32-10 keyed by (seed, stream) and counted by (element / 4, optimizer step, batch), read
/// from the training state (shaders/noise/step_normals.glsl). A recorded step therefore draws new
/// noise each time it is replayed, without a host round trip, and a rerun from the same state
/// draws the same noise. Tensors that need independent noise within one step use distinct streams.
/// </summary>
internal static class NoiseKernels
{
    private readonly record struct SamplePush(uint Count, uint Seed, uint Stream);
    private readonly record struct AddPush(uint Count, float NoiseFactor, uint Seed, uint Stream);

    private static readonly KernelSignature<WorkgroupConstants> SampleSignature
        = KernelSignature.Of<SamplePush, WorkgroupConstants>("noise/sample_standard_normal", Access.Write, Access.Read);
    private static readonly KernelSignature<WorkgroupConstants> AddSignature
        = KernelSignature.Of<AddPush, WorkgroupConstants>("noise/add_gaussian_noise", Access.Read, Access.Write, Access.Read);

    /// <summary>normals[i] ~ N(0, 1) for i &lt; count.</summary>
    public static void SampleStandardNormal(SequenceRecorder r, Tensor normals, Tensor trainingState, long count, uint seed, uint stream)
    {
        CheckShapes("SampleStandardNormal", count, trainingState, normals);
        var kernel = r.Gpu.Kernel(SampleSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, Blocks(count)), new SamplePush((uint)count, seed, stream), CommandWork.MovingFloats(count),
            normals, trainingState);
    }

    /// <summary>noisy[i] = clamp(clean[i] + noiseFactor * n[i], 0, 1) with n[i] ~ N(0, 1), for i &lt; count.</summary>
    public static void AddGaussianNoise(SequenceRecorder r, Tensor clean, Tensor noisy, Tensor trainingState, long count, float noiseFactor,
        uint seed, uint stream)
    {
        CheckShapes("AddGaussianNoise", count, trainingState, clean, noisy);
        if (ReferenceEquals(clean, noisy)) throw new ArgumentException($"AddGaussianNoise: {clean} is both input and output; bind distinct tensors");
        var kernel = r.Gpu.Kernel(AddSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, Blocks(count)), new AddPush((uint)count, noiseFactor, seed, stream),
            CommandWork.MovingFloats(2.0 * count), clean, noisy, trainingState);
    }

    /// <summary>Each invocation draws one Philox block of four normals.</summary>
    private static long Blocks(long count) => (count + 3) / 4;

    private static void CheckShapes(string kernel, long count, Tensor trainingState, params Tensor[] tensors)
    {
        if (count <= 0 || count > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(count), $"{kernel}: count {count} is outside 1..{uint.MaxValue}");
        foreach (var tensor in tensors)
            if (tensor.Length < count) throw new ArgumentException($"{kernel}: {tensor} has {tensor.Length} elements, fewer than count {count}");
        if (trainingState.Length <= TrainingState.BatchIndex)
            throw new ArgumentException($"{kernel}: {trainingState} must hold the training state (optimizer step and batch), it has {trainingState.Length} elements");
    }
}

/// <summary>CPU reference of <see cref="NoiseKernels"/>, in double precision.</summary>
internal static class NoiseReference
{
    /// <summary>The normals of shaders/noise/step_normals.glsl for elements 0 .. count - 1.</summary>
    public static double[] StepNormals(long count, uint seed, uint stream, uint optimizerStep, uint batch)
    {
        var normals = new double[count];
        for (long block = 0; block * 4 < count; block++)
        {
            var n = Philox.StandardNormal4(((uint)block, optimizerStep, batch, 0u), (seed, stream));
            for (int k = 0; k < 4 && block * 4 + k < count; k++) normals[block * 4 + k] = n[k];
        }
        return normals;
    }

    public static float[] AddGaussianNoise(ReadOnlySpan<float> clean, float noiseFactor, uint seed, uint stream, uint optimizerStep, uint batch)
    {
        var normals = StepNormals(clean.Length, seed, stream, optimizerStep, batch);
        var noisy = new float[clean.Length];
        for (int i = 0; i < clean.Length; i++) noisy[i] = (float)Math.Clamp(clean[i] + noiseFactor * normals[i], 0, 1);
        return noisy;
    }
}
