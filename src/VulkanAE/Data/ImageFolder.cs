using VulkanAE.IO;

namespace VulkanAE.Data;

/// <summary>
/// The two sets of an image folder, the names of its classes (empty when unlabelled), and the path
/// of each set's images inside the folder, in the sets' order.
/// </summary>
internal sealed record ImageFolderDatasets(ImageDataset Train, ImageDataset Test, IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> TrainPaths, IReadOnlyList<string> TestPaths);

/// <summary>
/// Any folder of PNG and JPEG files as a data set: decoded by stb_image, converted to the channels and
/// square size the model takes, split into training and test sets, labelled by sub-folder.
/// </summary>
internal static class ImageFolder
{
    /// <summary>
    /// Loads every image of <paramref name="directory"/> (which files, and their classes: see
    /// <see cref="ImageFolderListing.Scan"/>; which are test images: see <see cref="ImageFolderSplit"/>).
    /// Each set keeps its images in path order. Pixels stay bytes, NCHW, after channel conversion and
    /// resizing, as for every data set: the GPU batch gather scales them to the model's range, [0, 1]
    /// or [-1, 1] (BatchGather with its PixelRange).
    /// </summary>
    /// <exception cref="DatasetException">
    /// The folder is missing or holds no image, or an image file cannot be read, is empty, cannot be
    /// decoded, or has another size while <see cref="ImageFolderOptions.Resize"/> is off. The message names
    /// the file; when several files fail, it names the first in path order and counts the others.
    /// </exception>
    public static ImageFolderDatasets Load(string directory, ImageFolderOptions options)
    {
        options.Validate();
        var listing = ImageFolderListing.Scan(directory);
        int count = listing.RelativePaths.Count;
        long imageBytes = (long)options.Channels * options.ImageSize * options.ImageSize;
        if (count * imageBytes > Array.MaxLength)
        {
            throw new DatasetException(
                $"{directory}: {count} images of {options.Channels}x{options.ImageSize}x{options.ImageSize} take {count * imageBytes} bytes, " +
                $"more than one array holds ({Array.MaxLength}): use a smaller image size or fewer images");
        }

        var layout = ImageFolderLayout.Of(listing, options);
        byte[] trainPixels = new byte[layout.TrainImages.Length * imageBytes];
        byte[] testPixels = new byte[layout.TestImages.Length * imageBytes];
        DecodeAll(directory, listing, layout, options, (test, slot) =>
            (test ? testPixels : trainPixels).AsSpan((int)(slot * imageBytes), (int)imageBytes), decoded: null);

        string name = NameOf(directory);
        return new ImageFolderDatasets(
            Dataset($"{name}/train", layout.TrainImages, trainPixels, listing, options),
            Dataset($"{name}/test", layout.TestImages, testPixels, listing, options),
            listing.ClassNames,
            Array.ConvertAll(layout.TrainImages, i => listing.RelativePaths[i]),
            Array.ConvertAll(layout.TestImages, i => listing.RelativePaths[i]));
    }

    /// <summary>The folder's own name, which names its sets ("faces/train").</summary>
    public static string NameOf(string directory) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    /// <summary>Where the CHW bytes of the <paramref name="slot"/>-th image of the test or training set go.</summary>
    public delegate Span<byte> Destination(bool test, long slot);

    /// <summary>
    /// Decodes every image of <paramref name="listing"/> into its <paramref name="destination"/>, in
    /// parallel on the CPU cores, telling <paramref name="decoded"/> after each image (from any thread).
    /// </summary>
    /// <exception cref="DatasetException">See <see cref="Load"/>.</exception>
    public static void DecodeAll(string directory, ImageFolderListing listing, ImageFolderLayout layout, ImageFolderOptions options,
        Destination destination, Action? decoded)
    {
        int count = listing.RelativePaths.Count;
        var failures = new DatasetException?[count];
        Parallel.For(0, count, image =>
        {
            bool test = layout.IsTest[image];
            int slot = Array.BinarySearch(test ? layout.TestImages : layout.TrainImages, image);
            try
            {
                DecodeInto(destination(test, slot), Path.Join(directory, listing.RelativePaths[image]), options);
            }
            catch (DatasetException e)
            {
                failures[image] = e;
            }
            decoded?.Invoke();
        });
        ThrowFirstFailure(failures);
    }

    public static ImageDataset Dataset(string name, int[] images, ReadOnlyMemory<byte> pixels, ImageFolderListing listing, ImageFolderOptions options)
    {
        int[]? labels = listing.Labels;
        return new ImageDataset(name, images.Length, options.Channels, options.ImageSize, options.ImageSize, pixels,
            labels is null ? null : Array.ConvertAll(images, i => labels[i]), listing.ClassNames.Count, labels is null ? null : listing.ClassNames);
    }

    /// <summary>Decodes the image file at <paramref name="path"/> into <paramref name="chw"/>, converted, resized and, if asked, aligned.</summary>
    private static void DecodeInto(Span<byte> chw, string path, ImageFolderOptions options)
    {
        byte[] encoded;
        try
        {
            encoded = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{path}: cannot be read: {e.Message}", e);
        }

        if (encoded.Length == 0)
        {
            throw new DatasetException($"{path}: empty file (0 bytes): delete it or copy the image again");
        }

        RasterImage image;
        try
        {
            if (!options.ConvertChannels) RefuseAnotherShape(path, Png.Decode(encoded), options);
            image = Png.Decode(encoded, options.Channels);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: {e.Message}: the file is corrupt, truncated or not an image: delete it or copy it again", e);
        }

        int size = options.ImageSize;
        if (image.Width != size || image.Height != size)
        {
            if (!options.Resize)
            {
                throw new DatasetException(
                    $"{path} is {image.Width}x{image.Height}; expected {size}x{size}: drop --no-resize to crop and resize images on loading, or resize the folder's images");
            }

            image = ImageResize.CropAndResize(image, size);
        }

        if (options.AlignForeground) image = ForegroundAlignment.Align(image);
        ToPlanar(image.Pixels, image.Channels, chw);
    }

    /// <summary>Interleaved pixels (HWC, as image files hold them) into <paramref name="chw"/>, channel after channel (CHW, as the sets hold them).</summary>
    public static void ToPlanar(ReadOnlySpan<byte> hwc, int channels, Span<byte> chw)
    {
        int pixelCount = hwc.Length / channels;
        for (int p = 0; p < pixelCount; p++)
        {
            for (int c = 0; c < channels; c++)
            {
                chw[c * pixelCount + p] = hwc[p * channels + c];
            }
        }
    }

    private static void ThrowFirstFailure(DatasetException?[] failures)
    {
        int first = Array.FindIndex(failures, failure => failure is not null);
        if (first < 0)
        {
            return;
        }

        int others = failures.Count(failure => failure is not null) - 1;
        if (others == 0)
        {
            throw failures[first]!;
        }

        throw new DatasetException($"{failures[first]!.Message} (and {others} more of the {failures.Length} images fail too)", failures[first]);
    }

    /// <summary>A file whose colour channels (an alpha channel aside) or size differ from the model's input, named with both shapes.</summary>
    private static void RefuseAnotherShape(string path, RasterImage file, ImageFolderOptions options)
    {
        int colours = file.Channels <= 2 ? 1 : 3;
        if (colours == options.Channels && file.Width == options.ImageSize && file.Height == options.ImageSize) return;
        throw new DatasetException($"{path} is a {colours}x{file.Height}x{file.Width} image ({(colours == 1 ? "grey" : "RGB")}); the model takes "
            + $"{options.Channels}x{options.ImageSize}x{options.ImageSize} ({(options.Channels == 1 ? "grey" : "RGB")}): pass --resize to convert and resize "
            + "the images to the model's input, or give images of that shape");
    }
}
