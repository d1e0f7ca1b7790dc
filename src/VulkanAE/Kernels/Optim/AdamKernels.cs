using System.Globalization;
using VulkanAE.Core;

namespace VulkanAE.Kernels.Optim;

/// <summary>
/// Hyper-parameters of Adam, named and defaulted as in torch.optim.Adam. A non-zero
/// <see cref="WeightDecay"/> is decoupled, as in torch.optim.AdamW (p *= 1 - lr * weight_decay).
/// </summary>
internal readonly record struct AdamSettings(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f, float WeightDecay = 0f)
{
    /// <summary>
    /// The decimal a float setting was written as (0.999f is 0.99900001287..., this gives 0.999):
    /// torch keeps its hyper-parameters as Python doubles and computes 1 - beta, the bias corrections
    /// and 1 - lr * weight_decay from them; from the float, 1 - 0.999f would be off by 1.3e-5.
    /// </summary>
    public static double AsWritten(float setting)
        => double.Parse(setting.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}

/// <summary>The Adam / AdamW update on the device: shaders/optim/adam.comp.</summary>
internal static class AdamKernels
{
    private readonly record struct Push(uint Count, float LearningRate, float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2,
        float Epsilon, float DecayFactor, float LogBeta1, float LogBeta2, float WeightDecay);

    /// <summary>adam.comp's constants: <see cref="VectorConstants"/>' two, CLIPPED (constant_id = 2) and SCHEDULED (3).</summary>
    private readonly record struct AdamConstants(uint WorkgroupSize, bool Vector, bool Clipped, bool Scheduled) : ISpecializationConstants
    {
        public IReadOnlyList<SpecializationConstant> Constants
            => [SpecializationConstant.Of(0, WorkgroupSize), SpecializationConstant.Of(1, Vector), SpecializationConstant.Of(2, Clipped),
                SpecializationConstant.Of(3, Scheduled)];
    }

    private static readonly KernelSignature<AdamConstants> Signature = KernelSignature.Of<Push, AdamConstants>("optim/adam",
        Access.ReadWrite, Access.Read, Access.ReadWrite, Access.ReadWrite, Access.Read);

    /// <summary>
    /// One step over the first <paramref name="count"/> parameters. The step number t (1 for the
    /// first step) is element 0 of the uint tensor <paramref name="trainingState"/>, read on the
    /// device, so the recorded command buffer is the same for every step. With
    /// <paramref name="clippedGradients"/>, each gradient is first multiplied by the factor that
    /// <see cref="GradientClipKernels.RecordScale"/> wrote into the training state. With
    /// <paramref name="scheduledLearningRate"/>, the learning rate is the one the schedule left in the
    /// training state (<see cref="Training.TrainingState.RecordAdvance"/>), not the settings'.
    /// </summary>
    public static void Step(SequenceRecorder r, Tensor parameters, Tensor gradients, Tensor firstMoment, Tensor secondMoment,
        Tensor trainingState, long count, AdamSettings settings, bool clippedGradients = false, bool scheduledLearningRate = false)
    {
        if (count <= 0 || count > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(count), $"Adam: count must be in 1..2^32-1, got {count}");
        foreach (var tensor in new[] { parameters, gradients, firstMoment, secondMoment })
            if (tensor.Length < count) throw new ArgumentException($"Adam: {tensor} is shorter than the {count} parameters");
        double beta1 = AdamSettings.AsWritten(settings.Beta1), beta2 = AdamSettings.AsWritten(settings.Beta2);
        var push = new Push((uint)count, settings.LearningRate, settings.Beta1, settings.Beta2, (float)(1 - beta1), (float)(1 - beta2),
            settings.Epsilon, (float)(1 - AdamSettings.AsWritten(settings.LearningRate) * AdamSettings.AsWritten(settings.WeightDecay)),
            (float)Math.Log(beta1), (float)Math.Log(beta2), settings.WeightDecay);
        bool vector = LinearDispatch.Vectorizable(count, parameters, gradients, firstMoment, secondMoment);
        var kernel = r.Gpu.Kernel(Signature, new AdamConstants(LinearDispatch.WorkgroupSize, vector, clippedGradients, scheduledLearningRate));
        // Parameters and both moments read and written, gradients read.
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, vector ? count / 4 : count), push, CommandWork.MovingFloats(7.0 * count),
            parameters, gradients, firstMoment, secondMoment, trainingState);
    }
}

/// <summary>
/// CPU reference of <see cref="AdamKernels"/>: torch.optim.Adam / AdamW's single-tensor update, in
/// float, with the scalars (1 - beta, bias corrections, decay factor) in double from the settings
/// as written, as torch computes them.
/// </summary>
internal static class AdamReference
{
    /// <summary>
    /// Step number <paramref name="step"/> (>= 1) over parameters, moments and gradients of equal length; with
    /// <paramref name="scheduledRate"/>, at that rate (a float, as the schedule leaves it in the training state) instead of the settings'.
    /// </summary>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment,
        int step, AdamSettings s, float? scheduledRate = null)
    {
        double lr = scheduledRate ?? AdamSettings.AsWritten(s.LearningRate), beta1 = AdamSettings.AsWritten(s.Beta1), beta2 = AdamSettings.AsWritten(s.Beta2);
        float stepSize = (float)(lr / (1 - Math.Pow(beta1, step)));
        float biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, step));
        float decayFactor = scheduledRate is float rate ? 1 - rate * s.WeightDecay : (float)(1 - lr * AdamSettings.AsWritten(s.WeightDecay));
        float oneMinusBeta1 = (float)(1 - beta1), oneMinusBeta2 = (float)(1 - beta2);
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            firstMoment[i] = firstMoment[i] * s.Beta1 + oneMinusBeta1 * g;
            secondMoment[i] = secondMoment[i] * s.Beta2 + oneMinusBeta2 * g * g;
            parameters[i] = parameters[i] * decayFactor - stepSize * (firstMoment[i] / (MathF.Sqrt(secondMoment[i]) / biasCorrection2Sqrt + s.Epsilon));
        }
    }
}
