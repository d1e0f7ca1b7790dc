using System.Runtime.InteropServices;

namespace VulkanAE.Viewer;

/// <summary>
/// The few GLFW 3.3 entry points the live view uses (Debian libglfw3).
/// Windows are opaque pointers; callbacks are unmanaged function pointers, so no delegate can be
/// collected while GLFW holds it.
/// </summary>
internal static unsafe partial class Glfw
{
    /// <summary>
    /// The Debian/Ubuntu soname; .NET probes it as given. Elsewhere the load fails with
    /// DllNotFoundException, which the live view reports as "no GLFW".
    /// </summary>
    private const string Library = "libglfw.so.3";

    public const int TRUE = 1, FALSE = 0;
    public const int CLIENT_API = 0x00022001, NO_API = 0, RESIZABLE = 0x00020003;
    public const int RELEASE = 0, PRESS = 1, REPEAT = 2;
    public const int MOUSE_BUTTON_LEFT = 0;
    public const int KEY_SPACE = 32, KEY_ESCAPE = 256, KEY_KP_SUBTRACT = 333, KEY_KP_ADD = 334;
    public const int NO_ERROR = 0;

    [DllImport(Library)] public static extern int glfwInit();
    [DllImport(Library)] public static extern void glfwTerminate();
    [DllImport(Library)] public static extern int glfwGetError(byte** description);
    [DllImport(Library)] public static extern int glfwVulkanSupported();
    [DllImport(Library)] public static extern byte** glfwGetRequiredInstanceExtensions(uint* count);
    [DllImport(Library)] public static extern int glfwGetPhysicalDevicePresentationSupport(nint instance, nint physicalDevice, uint family);
    [DllImport(Library)] public static extern void glfwWindowHint(int hint, int value);
    [DllImport(Library)] public static extern nint glfwCreateWindow(int width, int height, byte* title, nint monitor, nint share);
    [DllImport(Library)] public static extern void glfwDestroyWindow(nint window);
    [DllImport(Library)] public static extern int glfwCreateWindowSurface(nint instance, nint window, void* allocator, ulong* surface);
    [DllImport(Library)] public static extern int glfwWindowShouldClose(nint window);
    [DllImport(Library)] public static extern void glfwPollEvents();
    [DllImport(Library)] public static extern void glfwWaitEventsTimeout(double seconds);
    [DllImport(Library)] public static extern void glfwGetFramebufferSize(nint window, int* width, int* height);
    [DllImport(Library)] public static extern void glfwGetWindowSize(nint window, int* width, int* height);
    [DllImport(Library)] public static extern void glfwGetWindowPos(nint window, int* x, int* y);
    [DllImport(Library)] public static extern void glfwSetWindowTitle(nint window, byte* title);
    [DllImport(Library)] public static extern void glfwSetWindowUserPointer(nint window, nint pointer);
    [DllImport(Library)] public static extern nint glfwGetWindowUserPointer(nint window);
    [DllImport(Library)] public static extern nint glfwSetKeyCallback(nint window, delegate* unmanaged<nint, int, int, int, int, void> callback);
    [DllImport(Library)] public static extern nint glfwSetCharCallback(nint window, delegate* unmanaged<nint, uint, void> callback);
    [DllImport(Library)] public static extern nint glfwSetCursorPosCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);
    [DllImport(Library)] public static extern nint glfwSetMouseButtonCallback(nint window, delegate* unmanaged<nint, int, int, int, void> callback);
    [DllImport(Library)] public static extern nint glfwSetScrollCallback(nint window, delegate* unmanaged<nint, double, double, void> callback);

    /// <summary>The description of GLFW's last error, or null when there was none.</summary>
    public static string? LastError()
    {
        byte* description;
        return glfwGetError(&description) == NO_ERROR ? null : Marshal.PtrToStringUTF8((nint)description);
    }
}
