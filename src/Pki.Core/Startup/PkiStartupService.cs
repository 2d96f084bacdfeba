using Microsoft.Extensions.Hosting;

namespace Smallstep.Pki.Startup;

/// <summary>
/// Builds the authority in <see cref="IHostedLifecycleService.StartingAsync"/>: the generic host
/// runs every StartingAsync to completion before any <see cref="IHostedService.StartAsync"/>, and
/// Kestrel binds its sockets in its StartAsync, so no request is accepted before the authority
/// exists, and a start-up error stops the host before it listens.
/// </summary>
internal sealed class PkiStartupService(PkiStartup startup) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => startup.StartAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
