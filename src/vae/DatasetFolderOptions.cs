using System.CommandLine;
using VulkanAE.Data;

namespace VulkanAE.Cli;

/// <summary>
/// The options that say how an image folder is decoded, as `vae train` takes them, and where its
/// packed file is kept: `vae dataset pack` and `vae dataset info` share them.
/// </summary>
internal sealed class DatasetFolderOptions
{
    private readonly Option<int> _imageSize = new("--image-size")
        { Description = "Side of the square images, as the model to train takes them", DefaultValueFactory = _ => 64 };
    private readonly Option<int> _channels = new("--channels") { Description = "1 (gray) or 3 (RGB)", DefaultValueFactory = _ => 3 };
    private readonly Option<bool> _noResize = new("--no-resize") { Description = "Reject images of another size instead of centre-cropping and resizing them" };
    private readonly Option<string?> _cache = new("--cache")
        { Description = $"Folder of the packed data sets (default: {DatasetCache.DefaultDirectory()}; $VULKANAE_CACHE moves it)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_imageSize);
        command.Options.Add(_channels);
        command.Options.Add(_noResize);
        command.Options.Add(_cache);
    }

    public ImageFolderOptions Decode(ParseResult parse)
    {
        int channels = parse.GetValue(_channels);
        if (channels is not (1 or 3)) throw new UserInputException($"--channels must be 1 or 3, got {channels}");
        int size = parse.GetValue(_imageSize);
        if (size < 1) throw new UserInputException($"--image-size must be positive, got {size}");
        return new ImageFolderOptions(size, channels, Resize: !parse.GetValue(_noResize));
    }

    public string CacheDirectory(ParseResult parse) => parse.GetValue(_cache) ?? DatasetCache.DefaultDirectory();
}
