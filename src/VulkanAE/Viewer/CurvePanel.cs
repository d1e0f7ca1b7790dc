using VulkanAE.Core;

namespace VulkanAE.Viewer;

/// <summary>
/// Polylines in integer panel pixels (the loss curves): shaders/viewer/draw_curves.comp. The host
/// maps its few hundred loss values to pixels and uploads them; the GPU draws every pixel. The x of
/// each series' points must not decrease (the shader searches for the segments of a column).
/// Series in <see cref="CurveStyle.MarkedSeries"/> also mark each point with a square.
/// </summary>
internal static class CurvePanel
{
    private readonly record struct Push(int FrameWidth, int FrameHeight, int Left, int Top, uint Width, uint Height, uint Series,
        uint Capacity, uint Background, uint MarkedSeries, int MarkerRadius);

    private static readonly KernelSignature<Workgroup2DConstants> Signature
        = KernelSignature.Of<Push, Workgroup2DConstants>("viewer/draw_curves", Access.Read, Access.Read, Access.Write);

    /// <summary>Elements of the curves tensor for <paramref name="series"/> polylines of up to <paramref name="capacity"/> points.</summary>
    public static int TensorLength(int series, int capacity) => series + series * capacity * 2;

    /// <summary>The curves tensor's contents: point counts, then each series' (x, y) pairs, padded to the capacity.</summary>
    public static int[] Pack(IReadOnlyList<IReadOnlyList<(int X, int Y)>> series, int capacity)
    {
        var data = new int[TensorLength(series.Count, capacity)];
        for (int s = 0; s < series.Count; s++)
        {
            if (series[s].Count > capacity) throw new ArgumentException($"series {s} has {series[s].Count} points; the capacity is {capacity}");
            for (int i = 1; i < series[s].Count; i++)
                if (series[s][i].X < series[s][i - 1].X) throw new ArgumentException($"series {s}: x goes back at point {i}");
            data[s] = series[s].Count;
            for (int i = 0; i < series[s].Count; i++)
                (data[series.Count + (s * capacity + i) * 2], data[series.Count + (s * capacity + i) * 2 + 1]) = series[s][i];
        }
        return data;
    }

    public static void Draw(SequenceRecorder r, FrameTarget frame, Tensor curves, Tensor palette, PanelRect panel, int series, int capacity,
        CurveStyle style)
    {
        var kernel = r.Gpu.Kernel(Signature, new Workgroup2DConstants(FrameTarget.TileSize, FrameTarget.TileSize));
        r.Dispatch(kernel, FrameTarget.Groups(panel.Width, panel.Height),
            new Push(frame.Width, frame.Height, panel.Left, panel.Top, (uint)panel.Width, (uint)panel.Height, (uint)series, (uint)capacity,
                style.Background, style.MarkedSeries, style.MarkerRadius),
            curves, palette, frame.Pixels);
    }
}

/// <summary>The panel's background colour, and which series (bit s for series s) mark their points with squares of side 2 * radius + 1.</summary>
internal readonly record struct CurveStyle(uint Background, uint MarkedSeries = 0, int MarkerRadius = 0)
{
    public bool Marks(int series, (int X, int Y) pixel, (int X, int Y) point)
        => (MarkedSeries & (1u << series)) != 0 && Math.Abs(pixel.X - point.X) <= MarkerRadius && Math.Abs(pixel.Y - point.Y) <= MarkerRadius;
}

/// <summary>CPU reference of <see cref="CurvePanel"/>: every segment against every pixel, no search.</summary>
internal static class CurvePanelReference
{
    public static void Draw(uint[] frame, int frameWidth, int frameHeight, IReadOnlyList<IReadOnlyList<(int X, int Y)>> series,
        IReadOnlyList<uint> palette, PanelRect panel, CurveStyle style)
    {
        for (int y = 0; y < panel.Height; y++)
            for (int x = 0; x < panel.Width; x++)
            {
                int target = FrameReference.Index(frameWidth, frameHeight, panel.Left, panel.Top, x, y);
                if (target < 0) continue;
                uint colour = style.Background;
                for (int s = 0; s < series.Count; s++)
                    for (int i = 0; i < series[s].Count; i++)
                        if (OnSegment((x, y), series[s][i], series[s][Math.Min(i + 1, series[s].Count - 1)]) || style.Marks(s, (x, y), series[s][i]))
                            colour = palette[s];
                frame[target] = colour;
            }
    }

    /// <summary>Inside the bounding box, and at most half a pixel from the line along its minor axis.</summary>
    public static bool OnSegment((int X, int Y) p, (int X, int Y) a, (int X, int Y) b)
    {
        if (p.X < Math.Min(a.X, b.X) || p.X > Math.Max(a.X, b.X) || p.Y < Math.Min(a.Y, b.Y) || p.Y > Math.Max(a.Y, b.Y)) return false;
        int dx = b.X - a.X, dy = b.Y - a.Y;
        return 2 * Math.Abs((p.X - a.X) * dy - (p.Y - a.Y) * dx) <= Math.Max(Math.Abs(dx), Math.Abs(dy));
    }
}
