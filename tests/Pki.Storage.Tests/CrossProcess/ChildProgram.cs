using System.Text;
using Smallstep.Pki.Storage;
using Smallstep.Pki.Storage.Sqlite;

namespace Smallstep.Pki.Tests.Storage.CrossProcess;

/// <summary>
/// Entry point of this test assembly when a test starts it as a second process
/// (<c>dotnet Smallstep.Pki.Storage.Tests.dll &lt;mode&gt; ...</c>), to exercise the store across processes.
/// The test runner never calls it.
/// </summary>
public static class ChildProgram
{
    /// <summary>Table the child writes to.</summary>
    public const string Table = "child_rows";

    /// <summary>Second table of the two-row batches.</summary>
    public const string DataTable = "child_data";

    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["write", var path, var count]:
                await WriteRowsAsync(path, int.Parse(count));
                return 0;
            case ["batches", var path]:
                await WriteBatchesUntilKilledAsync(path);
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: write <path> <count> | batches <path>");
                return 2;
        }
    }

    // Writes rows "row N" -> "value N", then reports and exits.
    private static async Task WriteRowsAsync(string path, int count)
    {
        await using var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = path, Tables = [Table] });
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            store.SetAsync(Table, Encoding.UTF8.GetBytes($"row {i}"), Encoding.UTF8.GetBytes($"value {i}")).AsTask()));
        Console.WriteLine("done");
    }

    // Writes two-row batches from 16 concurrent loops and prints "ack N" after each acknowledged batch,
    // until the parent kills the process.
    private static async Task WriteBatchesUntilKilledAsync(string path)
    {
        var store = new SqliteKeyValueStore(new SqliteKeyValueStoreOptions { Path = path, Tables = [Table, DataTable] });
        var next = -1;
        var output = TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true });
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                var key = Encoding.UTF8.GetBytes($"{n:D9}");
                var value = Encoding.UTF8.GetBytes(new string('v', 1000) + n);
                await store.ApplyAsync([KeyValueOperation.Set(Table, key, value), KeyValueOperation.Set(DataTable, key, value)]);
                output.WriteLine($"ack {n}");
            }
        })));
    }
}
