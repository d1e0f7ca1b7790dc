using VulkanAE.Core;

namespace VulkanAE.Kernels.Training;

/// <summary>
/// The GPU-side counters that a replayed step reads (shaders/include/training_state.glsl):
/// the optimizer step (Adam's t), the batch number within the current pass and, when gradients
/// are clipped, the step's gradient norm and the factor Adam scales the gradients by.
/// </summary>
internal sealed class TrainingState : IDisposable
{
    private readonly record struct Push(uint OptimizerSteps);

    private static readonly KernelSignature<NoConstants> AdvanceSignature = KernelSignature.Of<Push, NoConstants>("training/advance_state", Access.ReadWrite);

    /// <summary>Elements of the state; the STATE_* defines of training_state.glsl (checked by ShaderDefinesTests).</summary>
    public const int OptimizerStepIndex = 0;
    public const int BatchIndex = 1;
    public const int GradientNormIndex = 2;
    public const int GradientScaleIndex = 3;

    public Tensor Tensor { get; }

    public TrainingState(Gpu gpu) => Tensor = gpu.CreateTensor("training_state", 4);

    /// <summary>Records the end of a step: next batch, and next optimizer step when training.</summary>
    public void RecordAdvance(SequenceRecorder r, bool optimizerStep)
    {
        var kernel = r.Gpu.Kernel(AdvanceSignature);
        r.Dispatch(kernel, (1, 1, 1), new Push(optimizerStep ? 1u : 0u), Tensor);
    }

    /// <summary>Host side, between submissions: start a pass over a dataset at <paramref name="batch"/>.</summary>
    public void StartPass(int batch = 0) => Tensor.Upload<uint>([(uint)batch], BatchIndex);

    public uint OptimizerStep
    {
        get
        {
            var value = new uint[1];
            Tensor.Download<uint>(value, OptimizerStepIndex);
            return value[0];
        }
        set => Tensor.Upload<uint>([value], OptimizerStepIndex);
    }

    public void Dispose() => Tensor.Dispose();
}
