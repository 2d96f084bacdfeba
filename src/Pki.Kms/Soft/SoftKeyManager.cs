using System.Collections.Concurrent;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft.Files;
using Smallstep.Pki.Kms.Soft.Pem;

namespace Smallstep.Pki.Kms.Soft;

/// <summary>
/// step's softkms (go.step.sm/crypto <c>kms/softkms</c>): keys are PEM files, addressed by a plain
/// path or a <c>softkms:path=...</c> URI; relative paths resolve against
/// <see cref="SoftKmsOptions.BaseDirectory"/>. Opened keys are cached per resolved path for the
/// lifetime of the manager (a failed open is not cached, so a fixed file is picked up on the next
/// call). Thread-safe; disposing it disposes the cached keys.
/// </summary>
public sealed class SoftKeyManager : IKeyManager, IKeyDecrypter, IDisposable
{
    private readonly SoftKmsOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<SoftPrivateKey>> _keys = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <summary>Creates the manager.</summary>
    /// <param name="options">Password source and base directory.</param>
    public SoftKeyManager(SoftKmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>
    /// Returns the SubjectPublicKeyInfo of a <c>PUBLIC KEY</c> or <c>CERTIFICATE</c> file (no
    /// password needed, as in step), or of a private key file (opened and cached like
    /// <see cref="GetSignerAsync"/>).
    /// </summary>
    /// <exception cref="PkiException">NotFound for a missing file, BadRequest for an unreadable key.</exception>
    public ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Resolve(keyUri);
        if (_keys.TryGetValue(path, out var cached) && cached.IsValueCreated)
        {
            return ValueTask.FromResult(cached.Value.SubjectPublicKeyInfo);
        }
        var text = KeyFileText.Read(path);
        var publicKey = PublicKeyPem.TryReadSubjectPublicKeyInfo(text, path);
        return ValueTask.FromResult(publicKey ?? GetKey(keyUri, path, text).SubjectPublicKeyInfo);
    }

    /// <summary>
    /// Generates a key and writes it to the file named by <see cref="CreateKeyRequest.Name"/>,
    /// encrypted with the password <see cref="SoftKmsOptions.PasswordProvider"/> returns for that
    /// name, in step's format (see <see cref="EncryptedPemWriter"/>), mode 0600, atomically. An
    /// existing file is never overwritten. The returned <see cref="CreatedKey.KeyUri"/> is the name
    /// as given.
    /// </summary>
    /// <exception cref="PkiException">
    /// BadRequest when there is no password, the file exists or the algorithm/size is unsupported;
    /// Internal on I/O errors.
    /// </exception>
    public ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var path = Resolve(request.Name);
        var password = _options.PasswordProvider?.Invoke(request.Name);
        if (string.IsNullOrEmpty(password))
        {
            throw PkiException.BadRequest($"softkms needs a password to write the new key {path}; none was given for '{request.Name}'");
        }
        KeyFileWriter.EnsureAbsent(path);
        var key = SoftPrivateKey.Generate(request.Algorithm, request.RsaBits);
        try
        {
            KeyFileWriter.WriteNew(path, EncryptedPemWriter.Write(key, password));
        }
        catch
        {
            key.Dispose();
            throw;
        }
        // A cached key for this path belonged to a file that has since been removed; its holders
        // keep it (it is not disposed here), new callers get the new key.
        _keys[path] = new Lazy<SoftPrivateKey>(key);
        return ValueTask.FromResult(new CreatedKey(request.Name, key.SubjectPublicKeyInfo));
    }

    /// <summary>Opens (or returns the cached) signer of the key file named by <paramref name="keyUri"/>.</summary>
    /// <exception cref="PkiException">
    /// NotFound for a missing file; BadRequest for a wrong password, a malformed or unsupported key;
    /// NotImplemented for another key manager's URI.
    /// </exception>
    public ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetKey(keyUri, Resolve(keyUri), text: null).Signer);
    }

    /// <summary>RSA PKCS#1 v1.5 decryption with the key file named by <paramref name="keyUri"/> (SCEP).</summary>
    /// <exception cref="PkiException">BadRequest when the key is not RSA or the ciphertext does not decrypt.</exception>
    public ValueTask<byte[]> DecryptAsync(string keyUri, ReadOnlyMemory<byte> ciphertext, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(GetKey(keyUri, Resolve(keyUri), text: null).DecryptRsaPkcs1(ciphertext.Span));
    }

    /// <summary>Disposes the cached keys; later calls throw <see cref="ObjectDisposedException"/>. Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var key in _keys.Values)
        {
            DisposeIfCreated(key);
        }
        _keys.Clear();
    }

    /// <summary>Same as <see cref="Dispose"/> (softkms holds no session, only the cached keys).</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private SoftPrivateKey GetKey(string keyUri, string path, string? text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_keys.TryGetValue(path, out var lazy) && lazy.IsValueCreated)
        {
            return lazy.Value;
        }
        lazy = _keys.GetOrAdd(path, _ => new Lazy<SoftPrivateKey>(
            () => PemPrivateKeyReader.Parse(text ?? KeyFileText.Read(path), () => _options.PasswordProvider?.Invoke(keyUri), path)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _keys.TryRemove(new KeyValuePair<string, Lazy<SoftPrivateKey>>(path, lazy));
            throw;
        }
    }

    private string Resolve(string keyUri)
    {
        ArgumentNullException.ThrowIfNull(keyUri);
        var file = SoftKmsUri.ToFilePath(keyUri);
        try
        {
            return Path.GetFullPath(file, Path.GetFullPath(_options.BaseDirectory ?? Environment.CurrentDirectory));
        }
        catch (ArgumentException e)
        {
            throw PkiException.BadRequest($"invalid key path '{file}'", e);
        }
    }

    private static void DisposeIfCreated(Lazy<SoftPrivateKey> key)
    {
        if (key.IsValueCreated)
        {
            key.Value.Dispose();
        }
    }
}
