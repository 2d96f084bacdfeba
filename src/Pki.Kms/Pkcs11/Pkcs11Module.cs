using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// A loaded and initialized PKCS#11 module, shared by every manager in the process that names the
/// same path. PKCS#11 allows one <c>C_Initialize</c> per process (a second returns
/// CKR_CRYPTOKI_ALREADY_INITIALIZED, PKCS#11 v2.40 §5.4), and the authority opens a new manager on
/// every reload while the old one still serves, so the module is reference-counted and finalized
/// when the last manager releases it. Initialized for multi-threaded use (OS locking), so sessions
/// of one module may be used from several threads at once, each session by one thread at a time.
/// </summary>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    private readonly string _key;
    private int _references;

    static Pkcs11Module()
    {
        // Pkcs11Interop 5.3 loads modules through dlopen imported from "libdl"; glibc 2.34+ ships
        // only libdl.so.2 (its functions moved into libc), so the bare name is not found.
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, _, _) =>
                name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The application installed its own resolver for Pkcs11Interop; keep it.
        }
    }

    private Pkcs11Module(string key, IPkcs11Library library)
    {
        _key = key;
        Library = library;
    }

    /// <summary>The module's functions.</summary>
    public IPkcs11Library Library { get; }

    /// <summary>The factories that build attributes and mechanisms for this module.</summary>
    public Pkcs11InteropFactories Factories => Library.Factories;

    /// <summary>Loads (or shares) the module; release it with <see cref="Release"/>.</summary>
    /// <exception cref="Pkcs11ModuleException">The library cannot be loaded or its C_Initialize fails.</exception>
    public static Pkcs11Module Acquire(string modulePath)
    {
        // A bare name ("p11-kit-proxy.so") is left to the dynamic loader's search path, as in step.
        var key = modulePath.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetFullPath(modulePath) : modulePath;
        lock (Gate)
        {
            if (!Loaded.TryGetValue(key, out var module))
            {
                if (Path.IsPathRooted(key) && !File.Exists(key))
                {
                    throw new Pkcs11ModuleException($"PKCS#11 module {key} does not exist");
                }
                IPkcs11Library library;
                try
                {
                    var factories = new Pkcs11InteropFactories();
                    library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, key, AppType.MultiThreaded);
                }
                catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or LibraryArchitectureException or DllNotFoundException or BadImageFormatException)
                {
                    throw new Pkcs11ModuleException($"cannot load PKCS#11 module {key}: {e.Message}", e);
                }
                module = new Pkcs11Module(key, library);
                Loaded.Add(key, module);
            }
            module._references++;
            return module;
        }
    }

    /// <summary>Drops one reference; the last one finalizes and unloads the module. Idempotent per caller only by the caller's own bookkeeping.</summary>
    public void Release()
    {
        lock (Gate)
        {
            if (--_references > 0)
            {
                return;
            }
            Loaded.Remove(_key);
        }
        Library.Dispose();
    }
}

/// <summary>A PKCS#11 module could not be loaded or initialized.</summary>
internal sealed class Pkcs11ModuleException(string message, Exception? inner = null) : Exception(message, inner);
