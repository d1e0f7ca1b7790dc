using Google.Protobuf;
using VulkanAE.IO;
using VulkanAE.Kernels.Activation;
using VulkanAE.Models;
using VulkanAE.Models.Layers;

namespace VulkanAE.Export;

/// <summary>
/// A model's encoder and decoder as two ONNX files (opset 17) holding its weights, for ONNX Runtime
/// and every tool that reads ONNX. Tensors are NCHW with a free batch dimension N:
/// encoder.onnx maps image [N, C, H, W] (the model's pixel range) to code [N, CodeSize], or for a VAE
/// to mean and log_variance [N, latent]; decoder.onnx maps code (z for a VAE) [N, CodeSize] to image
/// [N, C, H, W] through the output activation. A conditional VAE's two graphs also take label
/// [N, classes], a float one-hot row per sample, joined by Concat where the engine joins it (before the
/// encoder's first dense layer, and to z). Dense layers are Gemm on flattened samples, reshapes
/// and flattens are emitted where the next op needs the other rank.
/// </summary>
internal static class OnnxExport
{
    public const string EncoderFile = "encoder.onnx";
    public const string DecoderFile = "decoder.onnx";
    public const string ImageName = "image";
    public const string CodeName = "code";
    public const string LatentName = "z";
    public const string MeanName = "mean";
    public const string LogVarianceName = "log_variance";
    public const string LabelName = "label";

    /// <summary>Protobuf's limit on one message: larger models would need ONNX's external-data files.</summary>
    private const long MaxFileBytes = int.MaxValue;

    /// <summary>A parameter's PyTorch shape and values, by its state_dict name.</summary>
    public sealed record Weight(int[] Shape, float[] Values);

    /// <summary>Writes encoder.onnx and decoder.onnx of <paramref name="model"/>'s current weights into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(Autoencoder model, string directory)
    {
        if (!model.Spec.Reconstructs)
            throw new ArgumentException($"{model.Spec.Name} is a CutPaste classifier: it has no encoder and decoder to export");
        var weights = model.Parameters.ToDictionary(p => p.Name, p => new Weight(p.Shape, p.Value.ToArray()));
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach (var (file, graph) in new[] { (EncoderFile, Encoder(model.Spec, weights)), (DecoderFile, Decoder(model.Spec, weights)) })
        {
            var path = Path.Combine(directory, file);
            long size = graph.CalculateSize();
            if (size > MaxFileBytes)
                throw new UserInputException($"{path}: {model.Spec.Name}'s weights need {size:N0} bytes, more than one ONNX file holds (2 GiB); "
                    + "a model this large cannot be exported yet");
            RunFile.WriteAllBytes(path, graph.ToByteArray());
            files.Add(path);
        }
        return files;
    }

    /// <summary>The encoder: image -> code, or image -> (mean, log_variance) for a VAE; (image, label) for a conditional one.</summary>
    public static Onnx.ModelProto Encoder(ModelSpec spec, IReadOnlyDictionary<string, Weight> weights)
    {
        var graph = new OnnxGraph($"{spec.Name} encoder");
        var input = new Value(graph.Input(ImageName, Dims(spec.InputShape)), spec.InputShape, Layout: spec.InputShape);
        var label = LabelInput(graph, spec, spec.EncoderConditionIndex);
        var hidden = AsVector(graph, Layers(graph, "encoder", spec.Encoder, input, weights, label));
        if (spec.Latent is int latent)
        {
            graph.Output(Gemm(graph, "latent.z_mean", hidden, weights), MeanName, latent);
            graph.Output(Gemm(graph, "latent.z_log_var", hidden, weights), LogVarianceName, latent);
        }
        else
            graph.Output(hidden.Name, CodeName, hidden.Shape.Size);
        return graph.ToModel(Version);
    }

    /// <summary>The decoder with the output activation: code (z for a VAE) -> image; (z, label) -> image for a conditional VAE.</summary>
    public static Onnx.ModelProto Decoder(ModelSpec spec, IReadOnlyDictionary<string, Weight> weights)
    {
        var graph = new OnnxGraph($"{spec.Name} decoder");
        var codeShape = spec.Latent is int latent ? TensorShape.Vector(latent) : EncoderOutputShape(spec);
        var code = new Value(graph.Input(spec.Latent is null ? CodeName : LatentName, codeShape.Size), codeShape, Layout: null);
        var output = Layers(graph, "decoder", spec.Decoder, code, weights, LabelInput(graph, spec, conditionAt: 0));
        output = output with { Name = Activation(graph, spec.OutputActivation, output.Name) };
        graph.Output(AsSpatial(graph, output with { Shape = spec.InputShape }).Name, ImageName, Dims(spec.InputShape));
        return graph.ToModel(Version);
    }

    private static string Version => typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "";

    /// <summary>
    /// A value of the graph: its name, the sample shape the model declares for it, and how the
    /// ONNX tensor holds it: [N, C, H, W] of <paramref name="Layout"/>, or [N, features] when null.
    /// </summary>
    private readonly record struct Value(string Name, TensorShape Shape, TensorShape? Layout);

    /// <summary>A conditional model's label input [N, Classes], joined before layer <paramref name="At"/> (after the last at the layers' count).</summary>
    private sealed record Label(string Name, int Classes, int At);

    /// <summary>The graph's label input for a conditional model, joined before layer <paramref name="conditionAt"/>; null for others.</summary>
    private static Label? LabelInput(OnnxGraph graph, ModelSpec spec, int conditionAt)
        => spec.ConditionClasses is int classes ? new Label(graph.Input(LabelName, classes), classes, conditionAt) : null;

    /// <summary>[value | label] along the features, as LabelConcatLayer joins them: the label's columns last.</summary>
    private static Value Joined(OnnxGraph graph, Value value, Label label)
        => new(graph.Node("Concat", [AsVector(graph, value).Name, label.Name], [OnnxGraph.Int("axis", 1)]), TensorShape.Vector(value.Shape.Size + label.Classes),
            Layout: null);

    private static Value Layers(OnnxGraph graph, string prefix, LayerSpec[] layers, Value value, IReadOnlyDictionary<string, Weight> weights, Label? label)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            if (i == label?.At) value = Joined(graph, value, label);
            string name = $"{prefix}.{i}";
            var shape = layers[i].OutputShape(name, value.Shape);
            value = layers[i] switch
            {
                LayerSpec.Dense => new Value(Gemm(graph, name, AsVector(graph, value), weights), shape, Layout: null),
                LayerSpec.Activation a => value with { Name = Activation(graph, a.Kind, value.Name) },
                LayerSpec.Conv2d c => Spatial(Convolution(graph, "Conv", name, c.Shape(value.Shape, 1), AsSpatial(graph, value), weights), shape),
                LayerSpec.ConvTranspose2d c => Spatial(Convolution(graph, "ConvTranspose", name, c.Shape(value.Shape, 1), AsSpatial(graph, value), weights), shape),
                LayerSpec.MaxPool2 => Spatial(graph.Node("MaxPool", [AsSpatial(graph, value).Name],
                    [OnnxGraph.Ints("kernel_shape", 2, 2), OnnxGraph.Ints("strides", 2, 2)]), shape),
                // Nearest neighbour, each output pixel (x, y) from input (floor(x / 2), floor(y / 2)): what Upsample2 computes.
                LayerSpec.Upsample2 => Spatial(graph.Node("Resize", [AsSpatial(graph, value).Name, "", graph.Initializer($"{name}.scales", [4], [1f, 1f, 2f, 2f])],
                    [OnnxGraph.Text("mode", "nearest"), OnnxGraph.Text("coordinate_transformation_mode", "asymmetric"), OnnxGraph.Text("nearest_mode", "floor")]), shape),
                LayerSpec.Flatten or LayerSpec.Reshape => value with { Shape = shape },
                _ => throw new ArgumentException($"{name}: no ONNX form for layer {layers[i]}"),
            };
        }
        return label?.At == layers.Length ? Joined(graph, value, label) : value;
    }

    private static Value Spatial(string name, TensorShape shape) => new(name, shape, shape);

    /// <summary>Y = X W^T + b: Gemm with transB, W [out, in] as stored.</summary>
    private static string Gemm(OnnxGraph graph, string layer, Value input, IReadOnlyDictionary<string, Weight> weights)
        => graph.Node("Gemm", [input.Name, Parameter(graph, weights, layer + ".weight"), Parameter(graph, weights, layer + ".bias")],
            [OnnxGraph.Int("transB", 1)]);

    /// <summary>Conv or ConvTranspose: PyTorch's weight layouts ([out, in, k, k] and [in, out, k, k]) are ONNX's.</summary>
    private static string Convolution(OnnxGraph graph, string op, string layer, Kernels.Conv.Conv2dShape shape, Value input, IReadOnlyDictionary<string, Weight> weights)
    {
        var attributes = new List<Onnx.AttributeProto>
        {
            OnnxGraph.Ints("kernel_shape", shape.Kernel, shape.Kernel),
            OnnxGraph.Ints("strides", shape.Stride, shape.Stride),
            OnnxGraph.Ints("pads", shape.Padding, shape.Padding, shape.Padding, shape.Padding),
        };
        if (shape.Transposed) attributes.Add(OnnxGraph.Ints("output_padding", shape.OutputPadding, shape.OutputPadding));
        return graph.Node(op, [input.Name, Parameter(graph, weights, layer + ".weight"), Parameter(graph, weights, layer + ".bias")], [.. attributes]);
    }

    private static string Activation(OnnxGraph graph, ActivationKind kind, string input) => kind switch
    {
        ActivationKind.Identity => input,
        ActivationKind.Relu => graph.Node("Relu", [input]),
        ActivationKind.Sigmoid => graph.Node("Sigmoid", [input]),
        ActivationKind.Tanh => graph.Node("Tanh", [input]),
        _ => throw new ArgumentException($"no ONNX form for activation {kind}"),
    };

    /// <summary>The value as [N, features], flattening a [N, C, H, W] tensor.</summary>
    private static Value AsVector(OnnxGraph graph, Value value)
        => value.Layout is null ? value : new Value(graph.Node("Flatten", [value.Name], [OnnxGraph.Int("axis", 1)]), value.Shape, Layout: null);

    /// <summary>The value as [N, C, H, W] of its declared shape, reshaping when the tensor holds it otherwise.</summary>
    private static Value AsSpatial(OnnxGraph graph, Value value)
    {
        if (value.Layout == value.Shape) return value;
        var s = value.Shape;
        var target = graph.Int64Initializer($"{value.Name}.to_{s.Channels}x{s.Height}x{s.Width}", -1, s.Channels, s.Height, s.Width);
        return new Value(graph.Node("Reshape", [value.Name, target]), s, s);
    }

    private static string Parameter(OnnxGraph graph, IReadOnlyDictionary<string, Weight> weights, string name)
    {
        var weight = weights.GetValueOrDefault(name) ?? throw new ArgumentException($"the model has no parameter '{name}' to export");
        return graph.Initializer(name, weight.Shape, weight.Values);
    }

    private static TensorShape EncoderOutputShape(ModelSpec spec)
    {
        var shape = spec.InputShape;
        for (int i = 0; i < spec.Encoder.Length; i++) shape = spec.Encoder[i].OutputShape($"encoder.{i}", shape);
        return shape;
    }

    private static int[] Dims(TensorShape shape) => [shape.Channels, shape.Height, shape.Width];
}
