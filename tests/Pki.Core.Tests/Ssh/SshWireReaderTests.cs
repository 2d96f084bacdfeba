using Smallstep.Pki.Ssh;

namespace Smallstep.Pki.Tests.Ssh;

/// <summary>RFC 4251 §5 round trips through the one SSH wire codec, and its bounds checks.</summary>
[TestFixture]
public sealed class SshWireReaderTests
{
    [Test]
    public void Reads_back_what_the_writer_wrote()
    {
        var blob = new SshWireWriter().UInt32(7).UInt64(ulong.MaxValue).String("ssh-ed25519").Mpint([0x00, 0x80, 0x01]).ToArray();

        var reader = new SshWireReader(blob);

        reader.ReadUInt32().Should().Be(7);
        reader.ReadUInt64().Should().Be(ulong.MaxValue);
        reader.ReadText().Should().Be("ssh-ed25519");
        reader.Position.Should().Be(4 + 8 + 4 + 11);
        reader.ReadPositiveMpint().ToArray().Should().Equal(0x80, 0x01);
        reader.HasData.Should().BeFalse();
    }

    [Test]
    public void Truncated_data_throws_from_Read_and_returns_false_from_TryRead()
    {
        byte[] blob = [0, 0, 0, 9, (byte)'s', (byte)'h'];

        var reader = new SshWireReader(blob);
        reader.TryReadString(out _).Should().BeFalse();
        reader.Position.Should().Be(0);

        FluentActions.Invoking(() => new SshWireReader(blob).ReadString().ToArray()).Should().Throw<FormatException>().WithMessage("*truncated*");
        FluentActions.Invoking(() => new SshWireReader([1, 2]).ReadUInt32()).Should().Throw<FormatException>();
    }

    [Test]
    public void A_negative_mpint_is_refused()
    {
        byte[] blob = [0, 0, 0, 1, 0x80];

        FluentActions.Invoking(() => new SshWireReader(blob).ReadPositiveMpint().ToArray()).Should().Throw<FormatException>().WithMessage("*negative*");
    }
}
