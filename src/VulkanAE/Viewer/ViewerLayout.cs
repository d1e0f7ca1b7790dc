using VulkanAE.Plots;
using VulkanAE.Training;

namespace VulkanAE.Viewer;

/// <summary>
/// Where the panels sit in the frame: the status line across the top; test inputs above their
/// reconstructions beside the loss curves (with their key above, the loss range at the left and the
/// epochs below); the decoded latent grid, the latent point under the
/// mouse shown large (with the key to the scatter's class colours under it), and the scatter of
/// test-set means below. Image panels have fixed boxes
/// (28 x 28 images at scale 2, 1 and 5); other image sizes are fitted into them, the grid with
/// fewer, larger cells for larger images (<see cref="GridCells"/>).
/// </summary>
internal static class ViewerLayout
{
    public const int Width = 960, Height = 600;

    /// <summary>
    /// Where the frame sits in a window's framebuffer of <paramref name="framebuffer"/> pixels: in the
    /// middle of one at least as large, at 1:1, so the 5 x 8 font stays sharp; shrunk to fit a smaller
    /// one (<see cref="FrameScaler"/>), keeping its aspect, in the middle of the side left over.
    /// </summary>
    public static PanelRect FramePlacement((int Width, int Height) framebuffer)
    {
        int width = Width, height = Height;
        if (framebuffer.Width < Width || framebuffer.Height < Height)
        {
            // Rounding cannot overflow the framebuffer: Width * scale <= framebuffer.Width, an integer.
            double scale = Math.Min(framebuffer.Width / (double)Width, framebuffer.Height / (double)Height);
            width = Math.Max(1, (int)Math.Round(Width * scale));
            height = Math.Max(1, (int)Math.Round(Height * scale));
        }
        return new((framebuffer.Width - width) / 2, (framebuffer.Height - height) / 2, width, height);
    }

    /// <summary>The frame pixel under framebuffer pixel (x, y) when the frame is shown at <paramref name="placement"/>.</summary>
    public static (double X, double Y) ToFrame(PanelRect placement, double x, double y)
        => ((x - placement.Left) * Width / placement.Width, (y - placement.Top) * Height / placement.Height);

    public static Rgb Background => Rgb.Gray(24);
    public static Rgb PanelBackground => Rgb.Gray(40);
    public static Rgb Text => Rgb.Gray(230);
    public static Rgb DimText => Rgb.Gray(150);

    public const int TextCapacity = 96;

    /// <summary>The text lines, one row of the text tensor each, with their place and scale.</summary>
    public enum Line { Status, Losses, TrainKey, TestKey, LossHigh, LossLow, LossEpochs, Grid, Hover, Units, ScatterKey, Scatter, Message, Help, Keys }

    public static (int Left, int Top, int Scale, int Length) Place(Line line) => line switch
    {
        Line.Status => (8, 6, 2, 78),
        Line.Losses => (712, 30, 1, 16),
        Line.TrainKey => (814, 30, 1, 12),
        Line.TestKey => (898, 30, 1, 9),
        Line.LossHigh => (710, 42, 1, LossLabelLength),
        Line.LossLow => (710, 130, 1, LossLabelLength),
        Line.LossEpochs => (760, 140, 1, LossEpochsLength),
        Line.Grid => (8, 154, 1, 70),
        Line.Hover => (436, 312, 1, 26),
        Line.Units => (436, 324, 1, 26),
        Line.ScatterKey => (436, 344, 1, ClassKeyLength),
        Line.Scatter => (592, 154, 1, 60),
        Line.Message => (436, 532, 1, 86),
        Line.Help => (436, 548, 1, 86),
        Line.Keys => (436, 562, 1, 86),
        _ => throw new ArgumentOutOfRangeException(nameof(line)),
    };

    public static ImageGridShape Reconstructions(int channels, int height, int width)
        => ImageGridShape.Fitted(RunPictures.ReconstructionCount, channels, height, width, box: 56, gap: 2);

    public const int ReconstructionsLeft = 8, ReconstructionsTop = 30;

    public static PanelRect LossChart => new(760, 42, 192, 96);

    /// <summary>Characters of the loss axis's labels at the chart's left, and of the epoch axis under it (the chart's width).</summary>
    public const int LossLabelLength = 8, LossEpochsLength = 32;

    /// <summary>Side of the decoded grid's square, in pixels.</summary>
    public const int GridPixels = 420;

    /// <summary>
    /// Cells along each side of the grid: as many as show every image at 7/8 of its size or more, up
    /// to <see cref="RunPictures.LatentGridSize"/> (15 cells of 28 pixels for 28 x 28 digits; 7 of 60
    /// for 64 x 64 faces, which at 28 pixels lose the features one looks for).
    /// </summary>
    public static int GridCells(int height, int width)
        => Math.Clamp(GridPixels * 8 / (7 * Math.Max(height, width)), 1, RunPictures.LatentGridSize);

    public static ImageGridShape Grid(int channels, int height, int width)
    {
        int cells = GridCells(height, width);
        return ImageGridShape.Fitted(cells, channels, height, width, box: GridPixels / cells, gap: 0);
    }

    public static PanelRect GridPanel(int height, int width)
    {
        var cell = Grid(1, height, width);
        return new(8, 166, cell.Columns * cell.ShownWidth, cell.Columns * cell.ShownHeight);
    }

    public static ImageGridShape Hover(int channels, int height, int width) => ImageGridShape.Fitted(1, channels, height, width, box: 140, gap: 0);

    public const int HoverLeft = 436, HoverTop = 166;

    public static PanelRect Scatter => new(592, 166, 360, 360);

    /// <summary>Characters of a row of the scatter's key (<see cref="ScatterPanel.KeyRows"/>), which fits under the hover panel.</summary>
    public const int ClassKeyLength = 24;

    /// <summary>The top-left corner of row <paramref name="row"/> of the scatter's key, each in its class colour, under its title (<see cref="Line.ScatterKey"/>).</summary>
    public static (int Left, int Top) ClassKeyRow(int row) => (HoverLeft, 356 + 12 * row);

    /// <summary>Half-size of a scatter point: 3 x 3 pixels.</summary>
    public const int ScatterRadius = 1;
}
