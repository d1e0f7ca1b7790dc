using System.Runtime.InteropServices;

namespace VulkanAE.IO;

/// <summary>
/// The libc calls .NET has no API for: syncing a folder, so that a rename or deletion in it
/// survives a power cut (a FileStream cannot be opened on a folder).
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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
