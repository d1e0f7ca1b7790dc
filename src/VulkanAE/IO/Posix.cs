using System.Runtime.InteropServices;

namespace VulkanAE.IO;

/// <summary>
/// The libc calls .NET has no API for: syncing a folder, so that a rename or deletion in it
/// survives a power cut (a FileStream cannot be opened on a folder), and reading a file another
/// process has locked.
/// </summary>
internal static partial class Posix
{
    /// <summary>ENOSPC on Linux: the errno .NET keeps as an IOException's HResult when a disk is full.</summary>
    public const int NoSpaceLeft = 28;

    private const int ReadOnly = 0;
    private const int InvalidArgument = 22;

    public static void SyncDirectory(string directory)
    {
        int descriptor = Open(directory, ReadOnly);
        if (descriptor < 0) throw new IOException($"cannot open the folder to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        try
        {
            // Some file systems cannot sync a folder (EINVAL); they order their metadata themselves.
            if (FileSync(descriptor) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
                throw new IOException($"cannot sync the folder: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// The first 4 KiB of a file as text, read with no lock (.NET's readers take a shared flock and
    /// fail on a file another process holds exclusively); null when it cannot be read.
    /// </summary>
    public static string? ReadSmallFile(string path)
    {
        int descriptor = Open(path, ReadOnly);
        if (descriptor < 0) return null;
        try
        {
            var buffer = new byte[4096];
            nint read = Read(descriptor, buffer, buffer.Length);
            return read < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)read);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
