using System.Runtime.InteropServices;

namespace Smallstep.Pki.Host.Serve;

/// <summary>
/// Undoes an inherited "ignore SIGHUP" (<c>nohup pki-host ...</c>, some service managers) before the
/// reload handler is registered: .NET does not handle a signal that was ignored when its handler is
/// installed, while step-ca's Go <c>signal.Notify</c> takes such a signal over. POSIX only.
/// </summary>
internal static class InheritedSignals
{
    private const int SigHup = 1;   // SIGHUP is 1 on Linux and macOS.

    /// <summary>Sets SIGHUP back to its default disposition when the process inherited it as ignored.</summary>
    public static void ResetIgnoredHangup()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return;
        }
        // signal(2) returns the previous disposition; SIG_IGN is 1, SIG_DFL is 0. Put back only an ignore.
        var previous = Signal(SigHup, 0);
        if (previous != 1)
        {
            Signal(SigHup, previous);
        }
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint Signal(int signal, nint handler);
}
