namespace Smallstep.Pki.Storage.Sql;

/// <summary>
/// The SQL text for one bucket in one dialect: nosql's table named exactly as the bucket, columns
/// <c>nkey</c>/<c>nvalue</c> ([nosql] postgresql/postgresql.go, mysql/mysql.go). Parameters are
/// <c>@key</c> and <c>@value</c>. Immutable.
/// </summary>
/// <param name="Create">Idempotent DDL.</param>
/// <param name="Select">Reads one value.</param>
/// <param name="SelectForUpdate">Reads one value and row-locks it until the transaction ends.</param>
/// <param name="Upsert">Insert or replace.</param>
/// <param name="InsertIfAbsent">Insert unless present; one affected row means inserted.</param>
/// <param name="Delete">Deletes one key; one affected row means it existed.</param>
/// <param name="List">Every row ordered by key bytes.</param>
/// <param name="ScanFirst">The first page of a scan (<see cref="KeyValue.KeyValueScanPages.PageSize"/> rows).</param>
/// <param name="ScanAfter">The page of a scan after <c>@key</c>.</param>
internal sealed record SqlTableText(string Create, string Select, string SelectForUpdate, string Upsert, string InsertIfAbsent, string Delete, string List, string ScanFirst, string ScanAfter);
