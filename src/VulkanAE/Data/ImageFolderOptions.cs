namespace VulkanAE.Data;

/// <summary>How <see cref="ImageFolder.Load"/> turns a folder of images into data sets.</summary>
/// <param name="ImageSize">Side of the square images the model takes (--image-size).</param>
/// <param name="Channels">1 (gray) or 3 (RGB) (--channels); files are converted, see <see cref="IO.Png.Decode"/>.</param>
/// <param name="Resize">
/// True: images of another size are centre-cropped to a square and resized (<see cref="ImageResize"/>).
/// False: they are an error naming the file.
/// </param>
/// <param name="ConvertChannels">
/// True: files of other channels are converted. False: every file must already have the model's
/// shape (channels and size; an alpha channel aside), else an error naming both shapes: how the
/// commands that feed a trained model take a folder unless asked to convert (--resize).
/// </param>
/// <param name="TestFraction">Share of the images held out as the test set, in [0, 1); see <see cref="ImageFolderSplit"/>.</param>
/// <param name="SplitSeed">Chooses which images are test images; the same seed gives the same split.</param>
/// <param name="AlignForeground">True: each image, once at the model's size, is registered on its foreground (<see cref="ForegroundAlignment"/>).</param>
internal sealed record ImageFolderOptions(int ImageSize, int Channels, bool Resize = true, double TestFraction = 0.1, int SplitSeed = 0,
    bool ConvertChannels = true, bool AlignForeground = false)
{
    /// <exception cref="ArgumentOutOfRangeException">A value outside the ranges above.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ImageSize);
        if (Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "images have 1 (gray) or 3 (RGB) channels");
        }

        if (!(TestFraction >= 0 && TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "the test fraction is in [0, 1)");
        }
    }
}
