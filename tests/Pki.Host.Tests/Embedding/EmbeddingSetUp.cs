namespace Smallstep.Pki.Tests.Host.Embedding;

/// <summary>Removes the packed feed (and its packages in the global packages folder) after the tests of this folder.</summary>
[SetUpFixture]
public sealed class EmbeddingSetUp
{
    [OneTimeTearDown]
    public Task ReleaseFeed() => PackedFeed.ReleaseSharedAsync();
}
