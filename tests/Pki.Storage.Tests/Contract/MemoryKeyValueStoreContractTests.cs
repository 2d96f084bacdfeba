using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Memory;

namespace Smallstep.Pki.Tests.Storage.Contract;

[TestFixture]
public sealed class MemoryKeyValueStoreContractTests : KeyValueStoreContract
{
    protected override IKeyValueStore CreateStore() => new MemoryKeyValueStore();
}
