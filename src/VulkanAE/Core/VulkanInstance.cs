using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Silk.NET.Core;
using Silk.NET.Vulkan;

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

    private static Vk Vk => VulkanApi.Vk;

    private readonly ConcurrentQueue<string> _validationErrors = new();
    private readonly GCHandle _self;
    private DebugUtilsMessengerEXT _messenger;

    public Instance Handle { get; }
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
        var flags = InstanceCreateFlags.None;
        if (available.Contains(PortabilityEnumerationExtension))
        {
            extensions.Add(PortabilityEnumerationExtension); // lists MoltenVK devices on macOS
            flags |= InstanceCreateFlags.EnumeratePortabilityBitKhr;
        }

        using var names = new NativeStrings(extensions.Append(ValidationLayer).Append("VulkanAE"));
        var appInfo = new ApplicationInfo
        {
            SType = StructureType.ApplicationInfo,
            PApplicationName = names["VulkanAE"],
            PEngineName = names["VulkanAE"],
            ApiVersion = Vk.Version12,
        };
        var layers = stackalloc byte*[1] { names[ValidationLayer] };
        var extensionNames = stackalloc byte*[extensions.Count];
        for (int i = 0; i < extensions.Count; i++) extensionNames[i] = names[extensions[i]];

        var enabledValidation = stackalloc ValidationFeatureEnableEXT[1] { ValidationFeatureEnableEXT.SynchronizationValidationExt };
        var validationFeatures = new ValidationFeaturesEXT
        {
            SType = StructureType.ValidationFeaturesExt,
            EnabledValidationFeatureCount = 1,
            PEnabledValidationFeatures = enabledValidation,
        };
        var messengerInfo = MessengerCreateInfo(&validationFeatures);
        var createInfo = new InstanceCreateInfo
        {
            SType = StructureType.InstanceCreateInfo,
            PNext = validation ? &messengerInfo : null, // also reports errors of vkCreateInstance itself
            Flags = flags,
            PApplicationInfo = &appInfo,
            EnabledLayerCount = validation ? 1u : 0u,
            PpEnabledLayerNames = layers,
            EnabledExtensionCount = (uint)extensions.Count,
            PpEnabledExtensionNames = extensionNames,
        };
        Instance handle;
        var result = Vk.CreateInstance(&createInfo, null, &handle);
        if (result == Result.ErrorIncompatibleDriver)
            throw new VulkanUnavailableException(NoDeviceMessage);
        result.Check("vkCreateInstance");
        Handle = handle;
        if (validation) CreateMessenger(&messengerInfo);
    }

    public const string NoDeviceMessage =
        "No Vulkan device found. Install a Vulkan driver: `apt-get install mesa-vulkan-drivers` for the CPU driver (lavapipe), or your GPU vendor's driver.";

    public static VulkanInstance Create(bool validation, IReadOnlyList<string>? extraExtensions = null)
        => new(validation, extraExtensions ?? []);

    /// <summary>Validation defaults to on when VULKANAE_VALIDATION=1, so any run can be checked.</summary>
    public static bool ValidationRequestedByEnvironment => Environment.GetEnvironmentVariable("VULKANAE_VALIDATION") == "1";

    public PhysicalDevice[] PhysicalDevices()
    {
        uint count;
        Vk.EnumeratePhysicalDevices(Handle, &count, null).Check("vkEnumeratePhysicalDevices");
        var devices = new PhysicalDevice[count];
        fixed (PhysicalDevice* p = devices) Vk.EnumeratePhysicalDevices(Handle, &count, p).Check("vkEnumeratePhysicalDevices");
        return devices;
    }

    public void ThrowIfValidationFailed()
    {
        if (_validationErrors.IsEmpty) return;
        var messages = new List<string>();
        while (_validationErrors.TryDequeue(out var message)) messages.Add(message);
        throw new ValidationFailedException(string.Join("\n", messages));
    }

    private DebugUtilsMessengerCreateInfoEXT MessengerCreateInfo(void* next) => new()
    {
        SType = StructureType.DebugUtilsMessengerCreateInfoExt,
        PNext = next,
        MessageSeverity = DebugUtilsMessageSeverityFlagsEXT.WarningBitExt | DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt,
        MessageType = DebugUtilsMessageTypeFlagsEXT.ValidationBitExt | DebugUtilsMessageTypeFlagsEXT.GeneralBitExt,
        PfnUserCallback = new PfnDebugUtilsMessengerCallbackEXT(&OnMessage),
        PUserData = (void*)GCHandle.ToIntPtr(_self),
    };

    private void CreateMessenger(DebugUtilsMessengerCreateInfoEXT* info)
    {
        var create = (delegate* unmanaged<Instance, DebugUtilsMessengerCreateInfoEXT*, AllocationCallbacks*, DebugUtilsMessengerEXT*, Result>)
            ProcAddress("vkCreateDebugUtilsMessengerEXT");
        info->PNext = null;
        DebugUtilsMessengerEXT messenger;
        create(Handle, info, null, &messenger).Check("vkCreateDebugUtilsMessengerEXT");
        _messenger = messenger;
    }

    /// <summary>An instance-level extension function, which the loader does not export.</summary>
    public nint ProcAddress(string name)
    {
        nint address = Vk.GetInstanceProcAddr(Handle, name);
        if (address == 0) throw new VulkanException($"{name} is not available from this Vulkan instance");
        return address;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static Bool32 OnMessage(DebugUtilsMessageSeverityFlagsEXT severity, DebugUtilsMessageTypeFlagsEXT types,
        DebugUtilsMessengerCallbackDataEXT* data, void* user)
    {
        var instance = (VulkanInstance)GCHandle.FromIntPtr((nint)user).Target!;
        var message = Marshal.PtrToStringUTF8((nint)data->PMessage) ?? "";
        if (severity.HasFlag(DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt))
            instance._validationErrors.Enqueue(message);
        else
            Console.Error.WriteLine($"[vulkan warning] {message}");
        return Vk.False; // never abort the call that triggered the message
    }

    private static HashSet<string> AvailableLayers()
    {
        uint count;
        Vk.EnumerateInstanceLayerProperties(&count, null).Check("vkEnumerateInstanceLayerProperties");
        var layers = new LayerProperties[count];
        fixed (LayerProperties* p = layers) Vk.EnumerateInstanceLayerProperties(&count, p).Check("vkEnumerateInstanceLayerProperties");
        return layers.Select(l => Marshal.PtrToStringUTF8((nint)l.LayerName)!).ToHashSet();
    }

    private static HashSet<string> AvailableExtensions()
    {
        uint count;
        Vk.EnumerateInstanceExtensionProperties((byte*)null, &count, null).Check("vkEnumerateInstanceExtensionProperties");
        var extensions = new ExtensionProperties[count];
        fixed (ExtensionProperties* p = extensions)
            Vk.EnumerateInstanceExtensionProperties((byte*)null, &count, p).Check("vkEnumerateInstanceExtensionProperties");
        return extensions.Select(e => Marshal.PtrToStringUTF8((nint)e.ExtensionName)!).ToHashSet();
    }

    public void Dispose()
    {
        if (_messenger.Handle != 0)
        {
            var destroy = (delegate* unmanaged<Instance, DebugUtilsMessengerEXT, AllocationCallbacks*, void>)ProcAddress("vkDestroyDebugUtilsMessengerEXT");
            destroy(Handle, _messenger, null);
            _messenger = default;
        }
        Vk.DestroyInstance(Handle, null);
        _self.Free();
    }
}

/// <summary>The validation layer reported one or more errors.</summary>
internal sealed class ValidationFailedException(string messages)
    : VulkanException("Vulkan validation errors:\n" + messages);
