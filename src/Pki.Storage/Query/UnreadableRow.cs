namespace Smallstep.Pki.Storage.Query;

/// <summary>A stored certificate row that could not be decoded and was left out of a query's results.</summary>
/// <param name="Table">The table (<c>x509_certs</c> or <c>ssh_certs</c>).</param>
/// <param name="Key">The row key as text (non-printable bytes in hex).</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record UnreadableRow(string Table, string Key, string Reason);
