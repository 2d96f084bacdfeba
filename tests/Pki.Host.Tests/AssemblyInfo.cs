// The host under test is Unix-only (file modes, POSIX signals); so are these tests.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
