using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// The part of the latent plane (z0, z1 or the principal axes' a, b: see <see cref="ViewerFrame"/>) that the grid and scatter panels show,
/// panned and zoomed by the user. As in <see cref="RunPictures.LatentGrid"/>, grid cell (row, column)
/// decodes x = centre - range + column step, y = centre + range - row step with
/// step = 2 range / (size - 1): x grows to the right and y upwards, and the centre of each cell is
/// exactly its code, so the point under the mouse decodes to what the cell beneath it shows.
/// </summary>
internal sealed class LatentWindow(int size)
{
    /// <summary>Cells along each side of the grid.</summary>
    public int Size => size;

    public float CenterX { get; private set; }
    public float CenterY { get; private set; }
    public float Range { get; private set; } = RunPictures.LatentGridRange;

    /// <summary>Grows by one for every change, so panels know when to redraw.</summary>
    public int Version { get; private set; }

    private float Step => size == 1 ? 2 * Range : 2 * Range / (size - 1);

    /// <summary>
    /// The latent point at (u, v), in grid cells from the panel's top-left corner (the centre of cell
    /// (0, 0) is (0.5, 0.5)).
    /// </summary>
    public (float X, float Y) At(double u, double v)
        => (CenterX + (float)(u - size / 2.0) * Step, CenterY - (float)(v - size / 2.0) * Step);

    /// <summary>The grid row whose cells span latent height <paramref name="y"/> (the nearest row for a point above or below the grid).</summary>
    public int RowAt(float y) => Math.Clamp((int)Math.Floor((CenterY - y) / Step + size / 2.0), 0, size - 1);

    /// <summary>The latent points of the grid's cells, row-major, (x, y) each.</summary>
    public float[] GridPoints()
    {
        var points = new float[size * size * 2];
        for (int row = 0; row < size; row++)
            for (int column = 0; column < size; column++)
                (points[(row * size + column) * 2], points[(row * size + column) * 2 + 1]) = At(column + 0.5, row + 0.5);
        return points;
    }

    /// <summary>A square panel of <paramref name="pixels"/> showing the grid's whole extent: its top-left latent point and scale.</summary>
    public (float Left, float Top, float PixelsPerUnit) Extent(int pixels)
    {
        var (left, top) = At(0, 0);
        return (left, top, pixels / (size * Step));
    }

    /// <summary>Moves the view with the mouse: (du, dv) cells to the right and down.</summary>
    public void Pan(double du, double dv)
    {
        CenterX -= (float)du * Step;
        CenterY += (float)dv * Step;
        Version++;
    }

    /// <summary>Zooms by <paramref name="factor"/> (below 1 zooms in) keeping the point at (u, v) where it is.</summary>
    public void Zoom(double factor, double u, double v)
    {
        var (x, y) = At(u, v);
        Range = (float)Math.Clamp(Range * factor, 1e-3, 1e3);
        CenterX = x - (float)(u - size / 2.0) * Step;
        CenterY = y + (float)(v - size / 2.0) * Step;
        Version++;
    }

    public void Reset()
    {
        (CenterX, CenterY, Range) = (0, 0, RunPictures.LatentGridRange);
        Version++;
    }
}
