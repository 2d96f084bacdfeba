namespace Smallstep.Pki.Bench.Report;

/// <summary>The names of stages and modes, shared by the measurements, the report and its analysis.</summary>
internal static class ResultNames
{
    public const string RequestDecode = "request JSON decode (csr PEM→DER, ott)";
    public const string CsrParse = "CSR parse + self-signature verify";
    public const string KeyImport = "↳ EC P-256 public-key import (part of the CSR check)";
    public const string VerifyOnly = "↳ ECDSA P-256 verify alone (part of the CSR check)";
    public const string TokenLookup = "token parse + provisioner lookup";
    public const string TokenVerify = "token verify (ES256) + claims → authorization";
    public const string Template = "CSR checks, template, modifiers, validators";
    public const string Tbs = "TBS build + lint + assemble (signature stubbed)";
    public const string Signature = "signature, ECDSA P-256 (softkms, OpenSSL)";
    public const string ReplayMemory = "replay-store write, memory";
    public const string CertificateMemory = "certificate-store write, memory";
    public const string Response = "response PEM + JSON encode";
    public const string ReplaySqlite = "replay-store write, SQLite, one at a time";
    public const string CertificateSqlite = "certificate-store write, SQLite, one at a time";
    public const string WholeMemory = "whole SignAsync, memory store, one at a time";
    public const string WholeSqlite = "whole SignAsync, SQLite, one at a time";

    /// <summary>The stages that make up the in-process pipeline with the memory store.</summary>
    public static readonly string[] InProcessParts = [CsrParse, TokenLookup, TokenVerify, Template, Tbs, Signature, ReplayMemory, CertificateMemory];

    public const string InProcessSqlite = "in-process, SQLite";
    public const string InProcessMemory = "in-process, memory store";
    public const string HttpDefault = "HTTP, SQLite (default host)";
    public const string HttpNoLog = "HTTP, SQLite, logging off";
    public const string HttpMemory = "HTTP, memory store";
    public const string StoreOnly = "SQLite writes only";

    /// <summary>An in-process run on a SQL server (<c>PostgreSQL</c>, <c>MariaDB</c>).</summary>
    public static string InProcess(string storage) => $"in-process, {storage}";

    /// <summary>An HTTP run of the host on a SQL server.</summary>
    public static string Http(string storage) => $"HTTP, {storage}";
}
