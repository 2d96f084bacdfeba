using System.Globalization;
using Smallstep.Pki.Templates.Execution;

namespace Smallstep.Pki.Templates.Functions;

/// <summary>
/// sprig's float arithmetic (<c>addf subf mulf divf add1f</c>, numeric.go <c>execDecimalOp</c>):
/// each operand becomes the shortest decimal that round-trips its float64 (shopspring/decimal
/// <c>NewFromFloat</c>), the operation is exact in decimal (division rounds half away from zero
/// at 16 places, decimal's <c>DivisionPrecision</c>), and the result converts back to float64.
/// Operands or results outside <see cref="decimal"/>'s range fall back to float64 arithmetic.
/// </summary>
internal static class DecimalMath
{
    private const int DivisionPrecision = 16;

    public enum Operation
    {
        Add,
        Subtract,
        Multiply,
        Divide,
    }

    public static double Apply(object? first, IEnumerable<object?> rest, Operation operation)
    {
        var values = rest.Select(GoCast.ToFloat64).Prepend(GoCast.ToFloat64(first)).ToList();
        if (operation == Operation.Divide && values.Skip(1).Any(v => v == 0))
        {
            throw new TemplateFunctionException("decimal division by 0");
        }

        try
        {
            return (double)values.Skip(1).Aggregate(ToDecimal(values[0]), (acc, x) => Apply(operation, acc, ToDecimal(x)));
        }
        catch (OverflowException)
        {
            return values.Skip(1).Aggregate(values[0], (acc, x) => Apply(operation, acc, x));
        }
    }

    private static decimal Apply(Operation operation, decimal x, decimal y) => operation switch
    {
        Operation.Add => x + y,
        Operation.Subtract => x - y,
        Operation.Multiply => x * y,
        _ => Math.Round(x / y, DivisionPrecision, MidpointRounding.AwayFromZero),
    };

    private static double Apply(Operation operation, double x, double y) => operation switch
    {
        Operation.Add => x + y,
        Operation.Subtract => x - y,
        Operation.Multiply => x * y,
        _ => x / y,
    };

    private static decimal ToDecimal(double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > 7.9e27 || (value != 0 && Math.Abs(value) < 1e-20))
        {
            throw new OverflowException();
        }

        return decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
