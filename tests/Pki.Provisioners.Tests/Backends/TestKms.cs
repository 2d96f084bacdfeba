using Smallstep.Pki.Keys;
using Smallstep.Pki.Kms.Soft;

namespace Smallstep.Pki.Tests.Backends;

/// <summary>
/// A key manager for the <c>testkms:</c> scheme, registered from this test assembly: it opens
/// <c>testkms:NAME</c> as the file <c>secrets/NAME</c> of a PKI folder (through softkms, so the
/// fixture's encrypted keys work), records every instance the authority creates, what each opened
/// and when it was disposed, and can hold a signature until a test releases it.
/// </summary>
internal sealed class TestKms
{
    public const string Scheme = "testkms";
    private readonly string _secrets;
    private readonly string _password;

    public TestKms(string pkiDirectory, string password)
    {
        _secrets = Path.Combine(pkiDirectory, "secrets");
        _password = password;
        Registration = new KeyManagerRegistration(Scheme, [Scheme], (context, _) =>
        {
            var instance = new Instance(this, context.Kms.EffectiveType);
            lock (Instances)
            {
                Instances.Add(instance);
            }
            return ValueTask.FromResult<IKeyManager>(instance);
        })
        { AddMethod = "AddTestKms()" };
    }

    public KeyManagerRegistration Registration { get; }

    /// <summary>Every instance created, in order.</summary>
    public List<Instance> Instances { get; } = [];

    /// <summary>When set, opening a key waits for it (and <see cref="OpenStarted"/> completes when one does).</summary>
    public TaskCompletionSource? OpenGate { get; set; }

    public TaskCompletionSource OpenStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal sealed class Instance(TestKms owner, string kmsType) : IKeyManager
    {
        private readonly SoftKeyManager _soft = new(new SoftKmsOptions { PasswordProvider = _ => owner._password });

        public string KmsType { get; } = kmsType;

        public List<string> Opened { get; } = [];

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, this instance's signatures wait for it (and <see cref="SignatureStarted"/> completes when one does).</summary>
        public TaskCompletionSource? SignGate { get; set; }

        public TaskCompletionSource SignatureStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<ReadOnlyMemory<byte>> GetPublicKeyAsync(string keyUri, CancellationToken cancellationToken = default) =>
            _soft.GetPublicKeyAsync(PathOf(keyUri), cancellationToken);

        public ValueTask<CreatedKey> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async ValueTask<ICertificateSigner> GetSignerAsync(string keyUri, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Disposed.Task.IsCompleted, this);
            lock (Opened)
            {
                Opened.Add(keyUri);
            }
            if (owner.OpenGate is { } gate)
            {
                owner.OpenStarted.TrySetResult();
                await gate.Task.WaitAsync(cancellationToken);
            }
            return new GatedSigner(this, await _soft.GetSignerAsync(PathOf(keyUri), cancellationToken));
        }

        public ValueTask DisposeAsync()
        {
            _soft.Dispose();
            Disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }

        private string PathOf(string keyUri) =>
            keyUri.StartsWith(Scheme + ":", StringComparison.Ordinal) ? Path.Combine(owner._secrets, keyUri[(Scheme.Length + 1)..]) : throw new ArgumentException(keyUri);
    }

    private sealed class GatedSigner(Instance instance, ICertificateSigner inner) : ICertificateSigner
    {
        public ReadOnlyMemory<byte> SubjectPublicKeyInfo => inner.SubjectPublicKeyInfo;

        public KeyAlgorithm Algorithm => inner.Algorithm;

        public ReadOnlyMemory<byte> SignatureAlgorithmIdentifier => inner.SignatureAlgorithmIdentifier;

        public async ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            if (instance.SignGate is { } gate)
            {
                instance.SignatureStarted.TrySetResult();
                await gate.Task.WaitAsync(cancellationToken);
            }
            // A signer used after its key manager was released would be the bug the generation lease prevents.
            instance.Disposed.Task.IsCompleted.Should().BeFalse("a signer must not be used after its key manager was disposed");
            return await inner.SignAsync(data, cancellationToken);
        }
    }
}
