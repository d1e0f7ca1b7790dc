using VulkanAE.Core;
using VulkanAE.Kernels;

namespace VulkanAE.Viewer;

/// <summary>
/// The latent scatter: points splatted into an owner map (shaders/viewer/scatter_splat.comp) chunk
/// by chunk as the encoder produces them, then resolved to class colours (scatter_resolve.comp).
/// </summary>
internal static class ScatterPanel
{
    private readonly record struct SplatPush(uint Rows, uint CodeSize, uint FirstIndex, uint Width, uint Height, int Radius);

    private readonly record struct ResolvePush(int FrameWidth, int FrameHeight, int Left, int Top, uint Width, uint Height, uint PaletteSize,
        uint Background);

    private static readonly KernelSignature<WorkgroupConstants> SplatSignature
        = KernelSignature.Of<SplatPush, WorkgroupConstants>("viewer/scatter_splat", Access.Read, Access.Read, Access.Read, Access.ReadWrite);
    private static readonly KernelSignature<Workgroup2DConstants> ResolveSignature
        = KernelSignature.Of<ResolvePush, Workgroup2DConstants>("viewer/scatter_resolve", Access.Read, Access.Read, Access.Read, Access.Write);

    /// <summary>
    /// The scatter's key: one row per palette colour in use, naming the classes drawn in it (class k
    /// takes colour k modulo the palette, so "3, 13" where there are more classes than colours), cut
    /// to <paramref name="length"/> characters.
    /// </summary>
    public static string[] KeyRows(IReadOnlyList<string> classNames, int paletteSize, int length)
        => Enumerable.Range(0, Math.Min(classNames.Count, paletteSize))
            .Select(colour => string.Join(", ", classNames.Where((_, label) => label % paletteSize == colour)))
            .Select(row => row.Length <= length ? row : row[..(length - 3)] + "...")
            .ToArray();

    /// <summary>The view tensor's contents: latent (left, top) at the panel's top-left corner, and pixels per latent unit.</summary>
    public static float[] View(float left, float top, float pixelsPerUnit) => [left, top, pixelsPerUnit];

    /// <summary>
    /// Points first_index .. first_index + rows - 1: the rows of <paramref name="codes"/> projected on
    /// the <paramref name="axes"/> of <see cref="PrincipalAxes"/> (or <see cref="PrincipalAxes.Identity"/>).
    /// </summary>
    public static void Splat(SequenceRecorder r, Tensor codes, Tensor axes, int rows, int codeSize, int firstIndex, Tensor view, Tensor owner,
        int width, int height, int radius)
    {
        var kernel = r.Gpu.Kernel(SplatSignature, new WorkgroupConstants(LinearDispatch.WorkgroupSize));
        r.Dispatch(kernel, LinearDispatch.Groups(r.Gpu, rows),
            new SplatPush((uint)rows, (uint)codeSize, (uint)firstIndex, (uint)width, (uint)height, radius), codes, axes, view, owner);
    }

    public static void Resolve(SequenceRecorder r, FrameTarget frame, Tensor owner, Tensor labels, Tensor palette, int paletteSize,
        PanelRect panel, uint background)
    {
        var kernel = r.Gpu.Kernel(ResolveSignature, new Workgroup2DConstants(FrameTarget.TileSize, FrameTarget.TileSize));
        r.Dispatch(kernel, FrameTarget.Groups(panel.Width, panel.Height),
            new ResolvePush(frame.Width, frame.Height, panel.Left, panel.Top, (uint)panel.Width, (uint)panel.Height, (uint)paletteSize, background),
            owner, labels, palette, frame.Pixels);
    }
}

/// <summary>CPU reference of <see cref="ScatterPanel"/>: later points over earlier ones, as the owner map's maximum gives.</summary>
internal static class ScatterPanelReference
{
    public static void Draw(uint[] frame, int frameWidth, int frameHeight, ReadOnlySpan<float> codes, ReadOnlySpan<float> axes, int codeSize,
        ReadOnlySpan<uint> labels, ReadOnlySpan<uint> palette, float[] view, PanelRect panel, int radius, uint background)
    {
        var owner = new int[panel.Width * panel.Height];
        for (int i = 0; i < codes.Length / codeSize; i++)
        {
            float a = 0, b = 0;
            for (int k = 0; k < codeSize; k++)
            {
                float centred = codes[i * codeSize + k] - axes[2 * codeSize + k];
                a += centred * axes[3 * codeSize + k];
                b += centred * axes[4 * codeSize + k];
            }
            int px = (int)MathF.Floor((a - view[0]) * view[2]);
            int py = (int)MathF.Floor((view[1] - b) * view[2]);
            for (int y = py - radius; y <= py + radius; y++)
                for (int x = px - radius; x <= px + radius; x++)
                    if (x >= 0 && y >= 0 && x < panel.Width && y < panel.Height)
                        owner[y * panel.Width + x] = i + 1;
        }
        for (int y = 0; y < panel.Height; y++)
            for (int x = 0; x < panel.Width; x++)
            {
                int target = FrameReference.Index(frameWidth, frameHeight, panel.Left, panel.Top, x, y);
                if (target < 0) continue;
                int point = owner[y * panel.Width + x];
                frame[target] = point == 0 ? background : palette[(int)(labels[point - 1] % (uint)palette.Length)];
            }
    }
}
