// The host writes keys and configuration with Unix file modes (0600/0700), as step does.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
