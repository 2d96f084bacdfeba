using System.Text;
using Smallstep.Pki.Errors;
using Smallstep.Pki.Storage.KeyValue;

namespace Smallstep.Pki.Storage.Authority;

/// <summary>Turns the string keys of the authority tables into key bytes, rejecting what step-ca could never have written.</summary>
internal static class StorageKeys
{
    /// <summary>
    /// A decimal serial (<c>big.Int.String()</c> of a positive serial): ASCII digits only.
    /// </summary>
    /// <exception cref="PkiException">Kind BadRequest: not a decimal serial of at most 255 digits.</exception>
    public static byte[] DecimalSerial(string serialDecimal)
    {
        ArgumentNullException.ThrowIfNull(serialDecimal);
        if (serialDecimal.Length is 0 or > KeyValueArguments.MaxKeyLength || !serialDecimal.All(char.IsAsciiDigit))
        {
            throw PkiException.BadRequest("serial number must be a decimal number of at most 255 digits");
        }
        return Encoding.ASCII.GetBytes(serialDecimal);
    }

    /// <summary>A UTF-8 key of 1 to 255 bytes, such as a token replay key.</summary>
    /// <exception cref="PkiException">Kind BadRequest: empty or longer than 255 bytes.</exception>
    public static byte[] Text(string key, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length is 0 or > KeyValueArguments.MaxKeyLength)
        {
            throw PkiException.BadRequest($"{what} must be 1 to {KeyValueArguments.MaxKeyLength} bytes");
        }
        return bytes;
    }
}
