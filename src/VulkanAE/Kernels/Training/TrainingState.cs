using VulkanAE.Core;

namespace VulkanAE.Kernels.Training;

/// <summary>
/// The GPU-side counters that a replayed step reads (shaders/include/training_state.glsl):
/// the optimizer step (Adam's t), the batch number within the current pass, when gradients
/// are clipped the step's gradient norm and the factor Adam scales the gradients by, and the
/// step's learning rate from the schedule with the host's scale on it.
/// </summary>
internal sealed class TrainingState : IDisposable
{
    private readonly record struct Push(uint OptimizerSteps, uint Schedule, float BaseRate, uint WarmupSteps, uint TotalSteps, uint DecayEverySteps,
        float DecayFactor);

    private static readonly KernelSignature<NoConstants> AdvanceSignature = KernelSignature.Of<Push, NoConstants>("training/advance_state", Access.ReadWrite);

    /// <summary>Elements of the state; the STATE_* defines of training_state.glsl (checked by ShaderDefinesTests).</summary>
    public const int OptimizerStepIndex = 0;
    public const int BatchIndex = 1;
    public const int GradientNormIndex = 2;
    public const int GradientScaleIndex = 3;
    public const int LearningRateIndex = 4;
    public const int LearningRateScaleIndex = 5;
    private const int Length = 6;

    public Tensor Tensor { get; }

    /// <summary>All counters at 0, the learning-rate scale at 1.</summary>
    public TrainingState(Gpu gpu)
    {
        Tensor = gpu.CreateTensor("training_state", Length);
        var initial = new uint[Length];
        initial[LearningRateScaleIndex] = BitConverter.SingleToUInt32Bits(1f);
        Tensor.Upload<uint>(initial);
    }

    /// <summary>
    /// Records the end of a step: next batch, and when training the next optimizer step with its
    /// learning rate from <paramref name="schedule"/> (without one the rate is left 0: Adam takes its pushed rate).
    /// </summary>
    public void RecordAdvance(SequenceRecorder r, bool optimizerStep, LearningRateSchedule? schedule = null)
    {
        var kernel = r.Gpu.Kernel(AdvanceSignature);
        var push = schedule is null
            ? new Push(optimizerStep ? 1u : 0u, 0, 0f, 0, 1, 1, 1f)
            : new Push(optimizerStep ? 1u : 0u, (uint)schedule.Kind, schedule.BaseRate, schedule.WarmupSteps, schedule.TotalSteps, schedule.DecayEverySteps,
                schedule.DecayFactor);
        r.Dispatch(kernel, (1, 1, 1), push, Tensor);
    }

    /// <summary>Host side, between submissions: start a pass over a dataset at <paramref name="batch"/>.</summary>
    public void StartPass(int batch = 0) => Tensor.Upload<uint>([(uint)batch], BatchIndex);

    public uint OptimizerStep
    {
        get => Read(OptimizerStepIndex);
        set => Tensor.Upload<uint>([value], OptimizerStepIndex);
    }

    /// <summary>The learning rate of the last training step.</summary>
    public float LearningRate => BitConverter.UInt32BitsToSingle(Read(LearningRateIndex));

    /// <summary>The factor on the schedule (plateau reductions), set between epochs.</summary>
    public float LearningRateScale
    {
        get => BitConverter.UInt32BitsToSingle(Read(LearningRateScaleIndex));
        set => Tensor.Upload<uint>([BitConverter.SingleToUInt32Bits(value)], LearningRateScaleIndex);
    }

    private uint Read(int index)
    {
        var value = new uint[1];
        Tensor.Download<uint>(value, index);
        return value[0];
    }

    public void Dispose() => Tensor.Dispose();
}
