namespace Smallstep.Pki.TestServers;

/// <summary>Marker for the test-servers assembly; each local service server lives in its own folder.</summary>
public static class TestServersAssembly
{
}
