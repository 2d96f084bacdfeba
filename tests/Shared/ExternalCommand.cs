using System.Diagnostics;

namespace Smallstep.Pki.Tests;

/// <summary>Runs a real tool (openssl, ssh-keygen, python3) and returns its output; fails the test when it fails.</summary>
internal static class ExternalCommand
{
    public static string Run(string file, params string[] arguments) => Run(file, null, arguments);

    public static string Run(string file, byte[]? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
        }
        process.StandardInput.Close();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{file} {string.Join(' ', arguments)} failed: {error.Result}");
        return output.Result;
    }
}
