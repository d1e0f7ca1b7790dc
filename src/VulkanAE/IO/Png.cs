using System.Runtime.InteropServices;

namespace VulkanAE.IO;

/// <summary>PNG encoding and decoding through stb_image / stb_image_write (<see cref="StbImageNative"/>).</summary>
internal static unsafe class Png
{
    /// <summary>Writes <paramref name="pixels"/> (HWC, 1 to 4 channels) as a PNG file.</summary>
    public static void Write(string path, byte[] pixels, int width, int height, int channels) =>
        Write(path, new RasterImage(width, height, channels, pixels));

    public static void Write(string path, RasterImage image) => File.WriteAllBytes(path, Encode(image));

    public static byte[] Encode(RasterImage image)
    {
        int length;
        byte* png;
        fixed (byte* pixels = image.Pixels)
        {
            png = StbImageNative.WritePngToMemory(pixels, image.Width * image.Channels, image.Width, image.Height, image.Channels, &length);
        }

        if (png is null)
        {
            // stb_image_write keeps no failure reason: the only cause left after RasterImage's checks is memory.
            throw new InvalidOperationException($"stbi_write_png_to_mem failed for a {image.Width}x{image.Height} image of {image.Channels} channels (out of memory?)");
        }

        try
        {
            return new ReadOnlySpan<byte>(png, length).ToArray();
        }
        finally
        {
            StbImageNative.Free(png);
        }
    }

    /// <exception cref="InvalidDataException">The file is not an image stb_image can decode.</exception>
    public static RasterImage Read(string path)
    {
        try
        {
            return Decode(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes a PNG (or any format stb_image reads: JPEG, BMP...).</summary>
    /// <param name="desiredChannels">
    /// 0 keeps the file's channel count; 1 to 4 converts as stb_image does: gray from RGB is its integer luma
    /// (77 R + 150 G + 29 B) / 256, gray is copied to R, G and B, and alpha is dropped (not blended) or added opaque.
    /// </param>
    /// <exception cref="InvalidDataException">stb_image cannot decode the bytes; the message gives its reason.</exception>
    public static RasterImage Decode(byte[] encoded, int desiredChannels = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(desiredChannels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(desiredChannels, 4);
        int width, height, channelsInFile;
        byte* pixels;
        fixed (byte* buffer = encoded)
        {
            pixels = StbImageNative.LoadFromMemory(buffer, encoded.Length, &width, &height, &channelsInFile, desiredChannels);
        }

        if (pixels is null)
        {
            string reason = Marshal.PtrToStringUTF8((nint)StbImageNative.FailureReason()) ?? "unknown reason";
            throw new InvalidDataException($"cannot decode image ({encoded.Length} bytes): {reason}");
        }

        int channels = desiredChannels == 0 ? channelsInFile : desiredChannels;
        try
        {
            return new RasterImage(width, height, channels, new ReadOnlySpan<byte>(pixels, width * height * channels).ToArray());
        }
        finally
        {
            StbImageNative.ImageFree(pixels);
        }
    }
}
