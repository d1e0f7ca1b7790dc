using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using VulkanAE.Vulkan;

namespace VulkanAE.Core;

/// <summary>
/// The Vulkan instance: the one piece of global state. With validation on, the Khronos
/// validation layer (with synchronization validation) reports through a debug messenger;
/// every error it reports is kept and re-thrown on the host by <see cref="ThrowIfValidationFailed"/>,
/// which the device calls after each submission, so a validation error fails the caller.
/// </summary>
internal sealed unsafe class VulkanInstance : IDisposable
{
    private const string ValidationLayer = "VK_LAYER_KHRONOS_validation";
    private const string DebugUtilsExtension = "VK_EXT_debug_utils";
    private const string PortabilityEnumerationExtension = "VK_KHR_portability_enumeration";

    private readonly ConcurrentQueue<string> _validationErrors = new();
    private readonly GCHandle _self;
    private ulong _messenger;

    public nint Handle { get; }
    public bool Validation { get; }

    private VulkanInstance(bool validation, IReadOnlyList<string> extraExtensions)
    {
        Validation = validation;
        _self = GCHandle.Alloc(this);
        var available = AvailableExtensions();
        var extensions = new List<string>(extraExtensions);
        if (validation)
        {
            if (!AvailableLayers().Contains(ValidationLayer))
                throw new VulkanUnavailableException(
                    $"Validation was requested but {ValidationLayer} is not installed: `apt-get install vulkan-validationlayers`.");
            extensions.Add(DebugUtilsExtension);
        }
        uint flags = 0;
        if (available.Contains(PortabilityEnumerationExtension))
        {
            extensions.Add(PortabilityEnumerationExtension); // lists MoltenVK devices on macOS
            flags |= Vk.INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
        }

        using var names = new NativeStrings(extensions.Append(ValidationLayer).Append("VulkanAE"));
        var appInfo = new VkApplicationInfo
        {
            sType = VkStructureType.ApplicationInfo,
            pApplicationName = names["VulkanAE"],
            pEngineName = names["VulkanAE"],
            apiVersion = Vk.MakeApiVersion(1, 2, 0),
        };
        var layers = stackalloc byte*[1] { names[ValidationLayer] };
        var extensionNames = stackalloc byte*[extensions.Count];
        for (int i = 0; i < extensions.Count; i++) extensionNames[i] = names[extensions[i]];

        var enabledValidation = stackalloc uint[1] { Vk.VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT };
        var validationFeatures = new VkValidationFeaturesEXT
        {
            sType = VkStructureType.ValidationFeaturesEXT,
            enabledValidationFeatureCount = 1,
            pEnabledValidationFeatures = enabledValidation,
        };
        var messengerInfo = MessengerCreateInfo(&validationFeatures);
        var createInfo = new VkInstanceCreateInfo
        {
            sType = VkStructureType.InstanceCreateInfo,
            pNext = validation ? &messengerInfo : null, // also reports errors of vkCreateInstance itself
            flags = flags,
            pApplicationInfo = &appInfo,
            enabledLayerCount = validation ? 1u : 0u,
            ppEnabledLayerNames = layers,
            enabledExtensionCount = (uint)extensions.Count,
            ppEnabledExtensionNames = extensionNames,
        };
        nint handle;
        var result = Vk.vkCreateInstance(&createInfo, null, &handle);
        if (result == VkResult.ErrorIncompatibleDriver)
            throw new VulkanUnavailableException(NoDeviceMessage);
        Vk.Check(result, "vkCreateInstance");
        Handle = handle;
        if (validation) CreateMessenger(&messengerInfo);
    }

    public const string NoDeviceMessage =
        "No Vulkan device found. Install a Vulkan driver: `apt-get install mesa-vulkan-drivers` for the CPU driver (lavapipe), or your GPU vendor's driver.";

    public static VulkanInstance Create(bool validation, IReadOnlyList<string>? extraExtensions = null)
        => new(validation, extraExtensions ?? []);

    /// <summary>Validation defaults to on when VULKANAE_VALIDATION=1, so any run can be checked.</summary>
    public static bool ValidationRequestedByEnvironment => Environment.GetEnvironmentVariable("VULKANAE_VALIDATION") == "1";

    public nint[] PhysicalDevices()
    {
        uint count;
        Vk.Check(Vk.vkEnumeratePhysicalDevices(Handle, &count, null), "vkEnumeratePhysicalDevices");
        var devices = new nint[count];
        fixed (nint* p = devices) Vk.Check(Vk.vkEnumeratePhysicalDevices(Handle, &count, p), "vkEnumeratePhysicalDevices");
        return devices;
    }

    public void ThrowIfValidationFailed()
    {
        if (_validationErrors.IsEmpty) return;
        var messages = new List<string>();
        while (_validationErrors.TryDequeue(out var message)) messages.Add(message);
        throw new ValidationFailedException(string.Join("\n", messages));
    }

    private VkDebugUtilsMessengerCreateInfoEXT MessengerCreateInfo(void* next) => new()
    {
        sType = VkStructureType.DebugUtilsMessengerCreateInfoEXT,
        pNext = next,
        messageSeverity = Vk.DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | Vk.DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
        messageType = Vk.DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT | Vk.DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT,
        pfnUserCallback = (nint)(delegate* unmanaged<uint, uint, VkDebugUtilsMessengerCallbackDataEXT*, void*, uint>)&OnMessage,
        pUserData = (void*)GCHandle.ToIntPtr(_self),
    };

    private void CreateMessenger(VkDebugUtilsMessengerCreateInfoEXT* info)
    {
        var create = (delegate* unmanaged<nint, VkDebugUtilsMessengerCreateInfoEXT*, void*, ulong*, VkResult>)ProcAddress("vkCreateDebugUtilsMessengerEXT");
        info->pNext = null;
        ulong messenger;
        Vk.Check(create(Handle, info, null, &messenger), "vkCreateDebugUtilsMessengerEXT");
        _messenger = messenger;
    }

    public nint ProcAddress(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            var address = Vk.vkGetInstanceProcAddr(Handle, p);
            if (address == 0) throw new VulkanException($"{name} is not available from this Vulkan instance");
            return address;
        }
    }

    [UnmanagedCallersOnly]
    private static uint OnMessage(uint severity, uint types, VkDebugUtilsMessengerCallbackDataEXT* data, void* user)
    {
        var instance = (VulkanInstance)GCHandle.FromIntPtr((nint)user).Target!;
        var message = Marshal.PtrToStringUTF8((nint)data->pMessage) ?? "";
        if ((severity & Vk.DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0)
            instance._validationErrors.Enqueue(message);
        else
            Console.Error.WriteLine($"[vulkan warning] {message}");
        return 0; // VK_FALSE: never abort the call that triggered the message
    }

    private static HashSet<string> AvailableLayers()
    {
        uint count;
        Vk.vkEnumerateInstanceLayerProperties(&count, null);
        var layers = new VkLayerProperties[count];
        fixed (VkLayerProperties* p = layers) Vk.vkEnumerateInstanceLayerProperties(&count, p);
        return layers.Select(l => Marshal.PtrToStringUTF8((nint)l.layerName)!).ToHashSet();
    }

    private static HashSet<string> AvailableExtensions()
    {
        uint count;
        Vk.vkEnumerateInstanceExtensionProperties(null, &count, null);
        var extensions = new VkExtensionProperties[count];
        fixed (VkExtensionProperties* p = extensions) Vk.vkEnumerateInstanceExtensionProperties(null, &count, p);
        return extensions.Select(e => Marshal.PtrToStringUTF8((nint)e.extensionName)!).ToHashSet();
    }

    public void Dispose()
    {
        if (_messenger != 0)
        {
            var destroy = (delegate* unmanaged<nint, ulong, void*, void>)ProcAddress("vkDestroyDebugUtilsMessengerEXT");
            destroy(Handle, _messenger, null);
            _messenger = 0;
        }
        Vk.vkDestroyInstance(Handle, null);
        _self.Free();
    }
}

/// <summary>The validation layer reported one or more errors.</summary>
internal sealed class ValidationFailedException(string messages)
    : VulkanException("Vulkan validation errors:\n" + messages);
