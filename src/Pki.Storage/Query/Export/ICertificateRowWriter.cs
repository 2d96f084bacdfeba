namespace Smallstep.Pki.Storage.Query.Export;

/// <summary>Turns certificates into the bytes of one export format.</summary>
internal interface ICertificateRowWriter
{
    /// <summary>What comes before the first row (a CSV header), possibly nothing.</summary>
    void WriteStart(Stream output);

    /// <summary>One certificate.</summary>
    void Write(Stream output, CertificateRecord certificate);
}
