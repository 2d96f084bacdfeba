using Microsoft.Extensions.Logging;
using Smallstep.Pki.Configuration;

namespace Smallstep.Pki.Storage;

/// <summary>
/// How to open one kind of key-value store: the ca.json <c>db.type</c> names it answers to and a
/// factory. Registered with <c>AddStorageProvider</c> (first registration per type wins); the
/// authority opens the store at start-up from ca.json's <c>db</c> block, and keeps it across reloads.
/// </summary>
/// <param name="DatabaseTypes">The <c>db.type</c> values (case-insensitive), e.g. <c>postgresql</c>.</param>
/// <param name="OpenAsync">Opens the store and creates <see cref="StorageOpenContext.Tables"/> when missing; throws a
/// <see cref="Errors.PkiException"/> or <see cref="CaConfigException"/> with one line saying what is wrong (never a password).</param>
public sealed record StorageProviderRegistration(IReadOnlyList<string> DatabaseTypes, Func<StorageOpenContext, CancellationToken, ValueTask<IKeyValueStore>> OpenAsync)
{
    /// <summary>
    /// The <c>db.type</c> used when ca.json has no <c>db</c> block (step-ca then keeps an in-memory
    /// store). The in-memory provider registers it.
    /// </summary>
    public const string NoDatabaseType = "memory";

    /// <summary>The call that registers it, named in start-up errors (e.g. <c>AddSqliteStorage()</c>).</summary>
    public string? AddMethod { get; init; }
}

/// <summary>What a storage provider is given to open a store.</summary>
/// <param name="Type">The <c>db.type</c> as written (or <see cref="StorageProviderRegistration.NoDatabaseType"/>).</param>
/// <param name="Database">The ca.json <c>db</c> block; null when there is none.</param>
/// <param name="ResolvePath">Resolves a relative path as the other ca.json paths are (for file-based stores).</param>
/// <param name="BaseDirectory">The folder holding ca.json.</param>
/// <param name="Tables">Every table the registered features need (<see cref="StorageTableSet"/>), to create when missing.</param>
/// <param name="Services">The application's services.</param>
/// <param name="Logger">For the open message and warnings.</param>
public sealed record StorageOpenContext(string Type, DatabaseConfig? Database, Func<string, string> ResolvePath, string BaseDirectory,
    IReadOnlyList<string> Tables, IServiceProvider Services, ILogger Logger);
