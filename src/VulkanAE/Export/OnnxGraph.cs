using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace VulkanAE.Export;

/// <summary>
/// One ONNX graph (default domain, opset 17) written node by node: float inputs and outputs whose
/// first dimension is the batch ("N"), weights as initializers, and ops with their attributes.
/// The protobuf classes are OnnxSharp's (ONNX's onnx.proto compiled for Google.Protobuf).
/// </summary>
internal sealed class OnnxGraph(string name)
{
    public const int Opset = 17;
    public const string BatchDimension = "N";

    private readonly GraphProto _graph = new() { Name = name };
    private int _values;

    /// <summary>A float input [N, dims...].</summary>
    public string Input(string name, params int[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>Names <paramref name="value"/> as the graph output <paramref name="name"/>, [N, dims...].</summary>
    public void Output(string value, string name, params int[] dims)
    {
        Node("Identity", [value], output: name);
        _graph.Output.Add(ValueInfo(name, dims));
    }

    /// <summary>A float constant of the given shape, little-endian raw data.</summary>
    public string Initializer(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A 64-bit integer constant vector (shapes for Reshape).</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Appends an op reading <paramref name="inputs"/> ("" for an omitted optional input); returns its output's name.</summary>
    public string Node(string op, string[] inputs, AttributeProto[]? attributes = null, string? output = null)
    {
        output ??= $"{op.ToLowerInvariant()}_{_values++}";
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes ?? []);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Text(string name, string value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>The graph as a model file's contents: IR version 8 (the ONNX release that introduced opset 15, read by every runtime with opset 17).</summary>
    public ModelProto ToModel(string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = (long)Onnx.Version.IrVersion2021730,
            ProducerName = "VulkanAE",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, int[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
