using VulkanAE.Core;
using VulkanAE.Kernels.Activation;
using VulkanAE.Kernels.Conv;
using VulkanAE.Kernels.Data;
using VulkanAE.Models.Layers;

namespace VulkanAE.Models;

/// <summary>One layer of a model declaration, and the shape of a sample after it.</summary>
internal abstract record LayerSpec
{
    /// <summary>The sample shape after this layer, or an <see cref="ArgumentException"/> naming the layer and the shapes.</summary>
    public abstract TensorShape OutputShape(string name, TensorShape input);

    /// <summary>Weights and biases of the layer on <paramref name="input"/>, in a double: a declared size may exceed even a long.</summary>
    public virtual double ParameterCount(TensorShape input) => 0;

    /// <summary>A fully connected layer to <paramref name="Outputs"/> features.</summary>
    public sealed record Dense(int Outputs) : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input) => Outputs > 0
            ? TensorShape.Vector(Outputs)
            : throw new ArgumentException($"{name} (dense): {Outputs} outputs; a dense layer needs at least one");

        public override double ParameterCount(TensorShape input) => ((double)input.Elements + 1) * Outputs;
    }

    public sealed record Activation(ActivationKind Kind) : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input) => input;
    }

    /// <summary>A Conv2d or ConvTranspose2d layer: its kernels' shape on a batch of inputs.</summary>
    public abstract record Convolution : LayerSpec
    {
        public abstract Conv2dShape Shape(TensorShape input, int batch);

        public override TensorShape OutputShape(string name, TensorShape input) => ConvolutionLayer.OutputShapeOf(name, Shape(input, batch: 1));

        public override double ParameterCount(TensorShape input)
        {
            var shape = Shape(input, batch: 1);
            return ((double)shape.InChannels * shape.Kernel * shape.Kernel + 1) * shape.OutChannels;
        }
    }

    /// <summary>torch.nn.Conv2d; <paramref name="Padding"/> null means "same" for stride 1: (k - 1) / 2.</summary>
    public sealed record Conv2d(int OutChannels, int Kernel, int Stride = 1, int? Padding = null) : Convolution
    {
        public override Conv2dShape Shape(TensorShape input, int batch)
            => new(batch, input.Channels, input.Height, input.Width, OutChannels, Kernel, Stride, Padding ?? (Kernel - 1) / 2);
    }

    /// <summary>torch.nn.ConvTranspose2d.</summary>
    public sealed record ConvTranspose2d(int OutChannels, int Kernel, int Stride, int Padding, int OutputPadding = 0) : Convolution
    {
        public override Conv2dShape Shape(TensorShape input, int batch)
            => new(batch, input.Channels, input.Height, input.Width, OutChannels, Kernel, Stride, Padding, OutputPadding, Transposed: true);
    }

    /// <summary>2x2 max pooling, stride 2.</summary>
    public sealed record MaxPool2 : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input) => ResamplingLayer.OutputShapeOf(name, input, upsample: false);
    }

    /// <summary>Nearest-neighbour upsampling by 2.</summary>
    public sealed record Upsample2 : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input) => ResamplingLayer.OutputShapeOf(name, input, upsample: true);
    }

    /// <summary>Reinterprets each sample as a vector; moves no data.</summary>
    public sealed record Flatten : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input) => input.Elements <= ModelFootprint.MaxTensorElements
            ? TensorShape.Vector(input.Size)
            : throw new ArgumentException($"{name} (flatten): {input} has {input.Elements:N0} values, more than one tensor can hold");
    }

    /// <summary>Reinterprets each sample with another shape of the same size (unflatten); moves no data.</summary>
    public sealed record Reshape(int Channels, int Height = 1, int Width = 1) : LayerSpec
    {
        public override TensorShape OutputShape(string name, TensorShape input)
        {
            var reshaped = new TensorShape(Channels, Height, Width);
            return reshaped.Elements == input.Elements
                ? reshaped
                : throw new ArgumentException($"{name} (reshape): cannot reshape {input} ({input.Size} values) to {reshaped} ({reshaped.Size} values)");
        }
    }
}

/// <summary>The loss between a reconstruction and its target.</summary>
public enum ReconstructionLoss
{
    /// <summary>Binary cross-entropy per pixel, averaged; fused with a final sigmoid for stability.</summary>
    BinaryCrossEntropy,

    /// <summary>Squared error per pixel, averaged.</summary>
    MeanSquaredError,
}

/// <summary>What a model learns from normal images.</summary>
internal enum TrainingObjective
{
    /// <summary>To give each image back: an autoencoder or a VAE.</summary>
    Reconstruction,

    /// <summary>
    /// CutPaste (Li et al., CVPR 2021): to tell each image from a copy of it with a patch of itself pasted elsewhere
    /// (shaders/noise/cut_paste.comp). The decoder is the classifier's head: it ends in one logit per image, the loss is
    /// binary cross-entropy against 0 for the image and 1 for its copy, and the logit is an anomaly score
    /// (`vae anomaly --score logit`). A model learns from its own made-up anomaly what a normal image holds where.
    /// </summary>
    CutPaste,
}

/// <summary>Defaults a model's reference write-up trained it with.</summary>
internal sealed record TrainingDefaults(int Epochs, int BatchSize, float LearningRate);

/// <summary>
/// An autoencoder declared as data: encoder and decoder layer lists, the output activation, a loss
/// and training defaults. With <paramref name="Latent"/> set it is a VAE: two dense heads (mean and
/// log-variance of that size) and a sampled code sit between encoder and decoder.
/// Every built-in model is one of these (see <see cref="ModelCatalog"/>).
/// </summary>
/// <param name="OutputActivation">
/// What turns the decoder's last layer into the reconstruction (Identity: nothing). Kept out of the
/// decoder's layers because the loss fuses it (binary cross-entropy needs a sigmoid here and reads
/// the logits; the squared error applies any activation itself), so training never runs it; only
/// reconstructions for pictures and the viewer do.
/// </param>
/// <param name="Range">The range the model sees pixels in: [0, 1] for a sigmoid output, [-1, 1] for tanh.</param>
/// <param name="Init">How weights start: PyTorch's default, or Keras's for the models of Keras write-ups.</param>
/// <param name="Objective">What the model learns: to reconstruct, or to find CutPaste's patches (its decoder then a classifier's head).</param>
/// <param name="ConditionClasses">
/// Set for a conditional VAE (`--condition labels`): the number of classes whose one-hot code is
/// joined to the input of the encoder's first dense layer (after a convolutional encoder's flatten;
/// before the latent heads when the encoder has no dense layer) and to z before the decoder.
/// </param>
internal sealed record ModelSpec(string Name, string Description, TensorShape InputShape,
    LayerSpec[] Encoder, LayerSpec[] Decoder, ActivationKind OutputActivation, ReconstructionLoss Loss, TrainingDefaults Defaults, int? Latent = null,
    PixelRange Range = PixelRange.Unit, WeightInit Init = WeightInit.PyTorch, int? ConditionClasses = null,
    TrainingObjective Objective = TrainingObjective.Reconstruction)
{
    public int InputFeatures => InputShape.Size;

    /// <summary>Whether the model gives images back (an autoencoder or a VAE) rather than one logit per image (CutPaste).</summary>
    public bool Reconstructs => Objective == TrainingObjective.Reconstruction;

    /// <summary>Rows a training step runs per image: the image, and for CutPaste its pasted copy after the batch.</summary>
    public int RowsPerImage => Reconstructs ? 1 : 2;

    /// <summary>Rows a training step of <paramref name="batchSize"/> images runs: what the model must be built for.</summary>
    public int StepRows(int batchSize) => RowsPerImage * batchSize;

    /// <summary>Values the decoder gives per sample: an image, or CutPaste's one logit.</summary>
    public int OutputFeatures => Reconstructs ? InputFeatures : 1;

    /// <summary>This model conditioned on <paramref name="classes"/> labels (see <see cref="ConditionClasses"/>).</summary>
    public ModelSpec ConditionedOn(int classes) => this with { ConditionClasses = classes, Description = $"{Description}, conditioned on {classes} classes" };

    /// <summary>Where a conditional model's encoder joins the label: before its first dense layer, else after its last layer.</summary>
    public int EncoderConditionIndex
    {
        get
        {
            int dense = Array.FindIndex(Encoder, layer => layer is LayerSpec.Dense);
            return dense < 0 ? Encoder.Length : dense;
        }
    }

    /// <summary>
    /// Walks the sample shape through every layer without touching a device, so a declaration
    /// whose layers do not connect is rejected with the layer and the shapes named; counts what
    /// the model needs on a device on the way.
    /// </summary>
    public ModelFootprint Validate()
    {
        try
        {
            var footprint = new ModelFootprint();
            footprint.Add("input", 0, InputShape);
            if (ConditionClasses is int classes)
            {
                if (Latent is null) throw new ArgumentException("--condition labels makes a conditional VAE: this model is an autoencoder, with no prior to sample a chosen class from; use a VAE");
                if (classes < 2) throw new ArgumentException($"--condition labels needs a dataset of at least 2 classes; this one has {classes}");
                if (Decoder[0] is not LayerSpec.Dense)
                    throw new ArgumentException($"--condition labels joins the label to z before the decoder's first layer, which must be dense; it is {Decoder[0]}");
            }
            var code = OutputOf("encoder", Encoder, InputShape, footprint, EncoderConditionIndex);
            if (Latent is int latent)
            {
                var head = new LayerSpec.Dense(latent);
                var mean = head.OutputShape("latent", code);
                footprint.Add("latent", 2 * head.ParameterCount(code), mean); // the mean and log-variance heads
                code = mean;
            }
            if (!Reconstructs && (Latent is not null || ConditionClasses is not null))
                throw new ArgumentException("a CutPaste classifier has no latent space to sample or condition: drop --latent's VAE head and --condition");
            var output = OutputOf("decoder", Decoder, code, footprint, conditionAt: 0);
            if (output.Elements != OutputFeatures)
                throw new ArgumentException(Reconstructs
                    ? $"the decoder ends with {output} ({output.Elements} values per sample); the input is {InputShape} ({InputShape.Elements})"
                    : $"a CutPaste classifier's head ends with one logit per image; this one ends with {output} ({output.Elements} values)");
            if (Decoder[^1] is LayerSpec.Activation)
                throw new ArgumentException("the decoder ends with an activation: declare it as the output activation instead");
            if (!Reconstructs && Loss != ReconstructionLoss.BinaryCrossEntropy)
                throw new ArgumentException("a CutPaste classifier learns with binary cross-entropy on its logit");
            if (Loss == ReconstructionLoss.BinaryCrossEntropy && OutputActivation != ActivationKind.Sigmoid)
                throw new ArgumentException($"binary cross-entropy needs a sigmoid output (the loss fuses it); this model's output is {OutputActivation}");
            if (Reconstructs && Loss == ReconstructionLoss.BinaryCrossEntropy && Range == PixelRange.Symmetric)
                throw new ArgumentException("binary cross-entropy needs pixels in [0, 1], and 'range symmetric' gives [-1, 1]: use 'loss mse' or 'range unit'");
            return footprint;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"model {Name}: {e.Message}", e);
        }
    }

    /// <param name="conditionAt">Where a conditional model joins the label: before layer conditionAt (after the last at the list's length).</param>
    private TensorShape OutputOf(string prefix, LayerSpec[] layers, TensorShape input, ModelFootprint footprint, int conditionAt)
    {
        if (layers.Length == 0) throw new ArgumentException($"the {prefix} has no layers");
        var shape = input;
        for (int i = 0; i < layers.Length; i++)
        {
            if (i == conditionAt) shape = Conditioned(prefix, shape, footprint);
            string name = $"{prefix}.{i}";
            var output = layers[i].OutputShape(name, shape);
            footprint.Add(name, layers[i].ParameterCount(shape), output);
            shape = output;
        }
        return conditionAt == layers.Length ? Conditioned(prefix, shape, footprint) : shape;
    }

    /// <summary>A sample of <paramref name="shape"/> with the one-hot label joined, for a conditional model; unchanged otherwise.</summary>
    private TensorShape Conditioned(string prefix, TensorShape shape, ModelFootprint footprint)
    {
        if (ConditionClasses is not int classes) return shape;
        var joined = TensorShape.Vector(shape.Size + classes);
        footprint.Add(ConditionLayerName(prefix), 0, joined);
        return joined;
    }

    private static string ConditionLayerName(string prefix) => prefix + ".condition";

    /// <summary>
    /// The model on <paramref name="gpu"/>, refused before any allocation when it cannot fit there:
    /// its layers, each declaring its parameters with initial values drawn in layer order from one
    /// generator seeded with <paramref name="seed"/>, then one arena holding them all (see
    /// <see cref="ParameterArena"/>).
    /// </summary>
    public Autoencoder Build(Gpu gpu, int maxRows, int seed)
    {
        Validate().CheckFits(gpu.Info, Name, maxRows);
        var random = new Random(seed);
        var parameters = new ParameterArenaBuilder(gpu.Info, $"model {Name}");
        var labels = ConditionClasses is null ? null : gpu.CreateTensor("labels", maxRows);
        var encoder = BuildNetwork(gpu, "encoder", Encoder, InputShape, maxRows, random, parameters, labels, EncoderConditionIndex);
        var bottleneck = Latent is int latent
            ? new VariationalBottleneck(gpu, encoder.Layers[^1].OutputShape, latent, maxRows, random, (uint)seed, Init, parameters)
            : null;
        var decoder = BuildNetwork(gpu, "decoder", Decoder, bottleneck?.OutputShape ?? encoder.Layers[^1].OutputShape, maxRows, random, parameters, labels,
            conditionAt: 0);
        // Named as the last module of PyTorch's decoder Sequential, which holds it.
        var output = OutputActivation == ActivationKind.Identity
            ? null
            : new ActivationLayer(gpu, $"decoder.{Decoder.Length}", OutputActivation, decoder.Layers[^1].OutputShape, maxRows);
        return new Autoencoder(gpu, this, encoder, bottleneck, decoder, output, parameters.Allocate(gpu), maxRows, labels);
    }

    /// <summary>
    /// Layer i of a network is named PREFIX.i, counting reshapes, as PyTorch's nn.Sequential names
    /// its modules (nn.Flatten / nn.Unflatten take an index too), so weights map one to one. A conditional
    /// model's label input (named PREFIX.condition, no parameters) goes before layer <paramref name="conditionAt"/>.
    /// </summary>
    private Network BuildNetwork(Gpu gpu, string prefix, LayerSpec[] specs, TensorShape input, int maxRows, Random random, ParameterArenaBuilder parameters,
        Tensor? labels, int conditionAt)
    {
        var layers = new List<Layer>();
        var shape = input;
        Layer? appliesNextActivation = null;
        void AddCondition()
        {
            if (labels is null) return;
            var condition = new LabelConcatLayer(gpu, ConditionLayerName(prefix), shape, ConditionClasses!.Value, labels, maxRows);
            layers.Add(condition);
            shape = condition.OutputShape;
        }
        for (int i = 0; i < specs.Length; i++)
        {
            if (i == conditionAt) AddCondition();
            string name = $"{prefix}.{i}";
            if (specs[i] is LayerSpec.Reshape or LayerSpec.Flatten)
            {
                shape = specs[i].OutputShape(name, shape);
                continue;
            }
            // A convolution followed by a ReLU, or a dense layer followed by any activation, stores
            // the activation's output itself: one pass fewer per step. (The ReLU is what the models
            // put after their convolutions; the output activation, which the loss may fuse, is not
            // in these lists.)
            var next = i + 1 < specs.Length ? (specs[i + 1] as LayerSpec.Activation)?.Kind : null;
            var fused = specs[i] switch
            {
                LayerSpec.Dense when next is { } kind => kind,
                LayerSpec.Convolution when next == ActivationKind.Relu => ActivationKind.Relu,
                _ => ActivationKind.Identity,
            };
            Layer layer = specs[i] switch
            {
                LayerSpec.Dense d => new DenseLayer(gpu, name, shape, d.Outputs, maxRows, random, Init, parameters, fused),
                LayerSpec.Activation a when appliesNextActivation is not null => ActivationLayer.AppliedBy(gpu, name, a.Kind, appliesNextActivation, maxRows),
                LayerSpec.Activation a => new ActivationLayer(gpu, name, a.Kind, shape, maxRows),
                LayerSpec.Convolution c => new ConvolutionLayer(gpu, name, c.Shape(shape, maxRows), random, Init, parameters, fused),
                LayerSpec.MaxPool2 => new ResamplingLayer(gpu, name, shape, upsample: false, maxRows),
                LayerSpec.Upsample2 => new ResamplingLayer(gpu, name, shape, upsample: true, maxRows),
                _ => throw new ArgumentException($"model {Name}, {name}: unknown layer {specs[i]}"),
            };
            layers.Add(layer);
            shape = layer.OutputShape;
            appliesNextActivation = fused != ActivationKind.Identity ? layer : null;
        }
        if (conditionAt == specs.Length) AddCondition();
        return new Network(layers);
    }
}
