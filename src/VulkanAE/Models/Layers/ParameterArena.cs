using VulkanAE.Core;
using VulkanAE.Kernels.Optim;

namespace VulkanAE.Models.Layers;

/// <summary>
/// All of a model's parameters in one buffer, and their gradients and Adam's two moments in one
/// buffer each, at the same offsets (llm.c's layout): each <see cref="Parameter"/> is a view of its
/// range, so the optimizer is one dispatch over the whole arena instead of one per tensor.
/// Parameters start at multiples of <see cref="ParameterArenaBuilder.AlignmentElements"/>; the
/// padding between them is zero in all four buffers and stays zero, since no layer writes there and
/// Adam maps a zero value, gradient and moments to zero.
/// </summary>
internal sealed class ParameterArena : IDisposable
{
    internal ParameterArena(Gpu gpu, IReadOnlyList<Parameter> parameters, long length, float[] initialValues)
    {
        Parameters = parameters;
        Length = length;
        Values = gpu.CreateTensor("parameters", initialValues);
        Gradients = gpu.CreateTensor("parameters.grad", length);
        FirstMoments = gpu.CreateTensor("parameters.adam_m", length);
        SecondMoments = gpu.CreateTensor("parameters.adam_v", length);
        gpu.Run(r =>
        {
            r.Fill(Gradients);
            r.Fill(FirstMoments);
            r.Fill(SecondMoments);
        });
        foreach (var p in parameters) p.Place(this);
    }

    /// <summary>In the order they were declared: the order of the model's layers.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Elements in each buffer, padding included: a multiple of 4, so Adam takes the vec4 path.</summary>
    public long Length { get; }

    public Tensor Values { get; }
    public Tensor Gradients { get; }
    public Tensor FirstMoments { get; }
    public Tensor SecondMoments { get; }

    /// <summary>
    /// One Adam step over every parameter. With <paramref name="clippedGradients"/>, Adam first scales
    /// the gradients by the factor <see cref="GradientClipKernels.RecordScale"/> left in the training state.
    /// </summary>
    public void RecordAdamStep(SequenceRecorder r, Tensor trainingState, AdamSettings settings, bool clippedGradients = false, bool scheduledLearningRate = false)
        => AdamKernels.Step(r, Values, Gradients, FirstMoments, SecondMoments, trainingState, Length, settings, clippedGradients, scheduledLearningRate);

    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
        FirstMoments.Dispose();
        SecondMoments.Dispose();
    }
}

/// <summary>
/// The first phase of a <see cref="ParameterArena"/>: layers declare their parameters, with their
/// initial values, while a model is built (so the values are drawn in layer order from one
/// generator, as before there was an arena); <see cref="Allocate"/> then makes the buffers and
/// uploads all the values at once.
/// </summary>
internal sealed class ParameterArenaBuilder
{
    private readonly DeviceInfo _device;
    private readonly string _owner;
    private readonly List<(Parameter Parameter, float[] InitialValues)> _declared = [];
    private long _length;

    /// <param name="owner">What the parameters belong to ("model fc-vae"), for error messages.</param>
    public ParameterArenaBuilder(DeviceInfo device, string owner)
    {
        _device = device;
        _owner = owner;
        AlignmentElements = Math.Max(4, (long)device.MinStorageBufferOffsetAlignment / 4);
    }

    /// <summary>
    /// Where parameters may start, in elements: the device's minStorageBufferOffsetAlignment (a
    /// power of two, so a view can be bound there), and at least 4 so every parameter and the arena's
    /// length suit vec4 access.
    /// </summary>
    public long AlignmentElements { get; }

    public Parameter Declare(string name, int[] shape, float[] initialValues)
    {
        if (_declared.Any(d => d.Parameter.Name == name)) throw new ArgumentException($"{_owner}: parameter {name} is declared twice");
        var parameter = new Parameter(name, shape, _length);
        if (initialValues.Length != parameter.Count)
            throw new ArgumentException($"{name}: {initialValues.Length} initial values for shape [{string.Join(", ", shape)}]");
        _declared.Add((parameter, initialValues));
        _length += (parameter.Count + AlignmentElements - 1) / AlignmentElements * AlignmentElements;
        return parameter;
    }

    /// <summary>The four buffers, with the declared values uploaded and everything else zero.</summary>
    public ParameterArena Allocate(Gpu gpu)
    {
        if (_declared.Count == 0) throw new ArgumentException($"{_owner} has no parameters to train");
        if ((ulong)_length * 4 > _device.MaxStorageBufferRange)
        {
            long count = _declared.Sum(d => (long)d.Parameter.Count);
            throw new OutOfDeviceMemoryException(
                $"{_owner} has {count:N0} parameters ({_length * 4L / 1048576.0:F1} MiB), more than this device's maxStorageBufferRange of " +
                $"{_device.MaxStorageBufferRange / 1048576.0:F0} MiB per buffer: all of a model's parameters share one buffer; use a smaller model (--hidden, --latent) or another device.");
        }
        var values = new float[_length];
        foreach (var (parameter, initial) in _declared) initial.CopyTo(values, parameter.Offset);
        return new ParameterArena(gpu, _declared.Select(d => d.Parameter).ToArray(), _length, values);
    }
}
