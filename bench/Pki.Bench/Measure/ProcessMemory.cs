namespace Smallstep.Pki.Bench.Measure;

/// <summary>
/// Peak resident set size from <c>/proc/&lt;pid&gt;/status</c> (<c>VmHWM</c>), and its reset through
/// <c>/proc/&lt;pid&gt;/clear_refs</c> (writing <c>5</c>, Linux 4.0+, proc(5)) so each load level
/// reports its own peak.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM in MiB, or NaN when /proc cannot be read.</summary>
    public static double PeakRssMiB(int pid) => ReadKiB(pid, "VmHWM:") / 1024.0;

    /// <summary>VmRSS in MiB, or NaN when /proc cannot be read.</summary>
    public static double CurrentRssMiB(int pid) => ReadKiB(pid, "VmRSS:") / 1024.0;

    /// <summary>Resets the peak to the current RSS; false when the kernel refuses.</summary>
    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double ReadKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var digits = line[field.Length..].Trim().Split(' ')[0];
                    return double.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process is gone.
        }
        return double.NaN;
    }
}
