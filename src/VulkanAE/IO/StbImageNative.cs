using System.Runtime.InteropServices;

namespace VulkanAE.IO;

/// <summary>
/// The few functions of stb_image and stb_image_write that <see cref="Png"/> needs, from Debian's
/// libstb0 (NuGet here has no image library). Declarations follow stb_image.h / stb_image_write.h.
/// </summary>
internal static unsafe class StbImageNative
{
    private const string StbLibrary = "libstb.so.0";

    /// <summary>Returns a malloc'ed PNG (free it with <see cref="Free"/>) or null on failure.</summary>
    [DllImport(StbLibrary, EntryPoint = "stbi_write_png_to_mem")]
    public static extern byte* WritePngToMemory(byte* pixels, int strideBytes, int width, int height, int channels, int* outLength);

    /// <summary>Decodes an image; 0 desired channels keeps the file's. Free the result with <see cref="ImageFree"/>.</summary>
    [DllImport(StbLibrary, EntryPoint = "stbi_load_from_memory")]
    public static extern byte* LoadFromMemory(byte* buffer, int length, int* width, int* height, int* channelsInFile, int desiredChannels);

    [DllImport(StbLibrary, EntryPoint = "stbi_image_free")]
    public static extern void ImageFree(void* pixels);

    /// <summary>Reason for the last load failure, a static C string; null when none.</summary>
    [DllImport(StbLibrary, EntryPoint = "stbi_failure_reason")]
    public static extern byte* FailureReason();

    // stb_image_write allocates with plain malloc (STBIW_MALLOC), so its buffers go back to libc.
    [DllImport("libc", EntryPoint = "free")]
    public static extern void Free(void* pointer);
}
