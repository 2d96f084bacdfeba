using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Smallstep.Pki.Kms.Pkcs11;

/// <summary>
/// One token of a PKCS#11 module with a pool of sessions (at most <see cref="Pkcs11Settings.MaxSessions"/>
/// open at once, opened on demand and kept). A PKCS#11 session must not be used by two threads at
/// once (PKCS#11 v2.40 §6.6), so every operation rents one. Login state belongs to the token for the
/// whole application (§5.6: logging in on one session logs in all of them), so the user logs in
/// once; when the token reports it forgot the session or the login (CKR_SESSION_HANDLE_INVALID,
/// CKR_SESSION_CLOSED, CKR_USER_NOT_LOGGED_IN, CKR_TOKEN_NOT_PRESENT, ... after a token reset or
/// removal) the idle sessions are dropped, the user logs in again and the operation is retried
/// once. Thread-safe.
/// </summary>
internal sealed partial class Pkcs11Token : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly Pkcs11Settings _settings;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _available;
    private readonly ConcurrentBag<ISession> _idle = [];
    // Readers: ordinary operations. Writer: an operation that logs in as security officer, which
    // PKCS#11 allows only while no user is logged in on any session (CKR_USER_ANOTHER_ALREADY_LOGGED_IN).
    private readonly ReaderWriterLockSlim _roles = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _loginGate = new();
    private volatile bool _loggedIn;
    private int _epoch;
    private int _disposed;

    private Pkcs11Token(Pkcs11Module module, ISlot slot, string tokenLabel, Pkcs11Settings settings, ILogger logger)
    {
        _module = module;
        Slot = slot;
        TokenLabel = tokenLabel;
        _settings = settings;
        _logger = logger;
        _available = new SemaphoreSlim(settings.MaxSessions, settings.MaxSessions);
    }

    /// <summary>The slot (tests reset it with <c>CloseAllSessions</c>).</summary>
    internal ISlot Slot { get; }

    /// <summary>The token's label, for messages.</summary>
    public string TokenLabel { get; }

    /// <summary>The module's attribute and mechanism factories.</summary>
    public Pkcs11InteropFactories Factories => _module.Factories;

    /// <summary>Changes whenever the sessions were found invalid; object handles found before are re-found.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>
    /// Loads the module, finds the token and logs in now, so a missing module, a missing token or a
    /// wrong PIN stops the start with the module's reason.
    /// </summary>
    /// <exception cref="Pkcs11ModuleException">The module cannot be loaded, the token is not there, or login fails.</exception>
    public static Pkcs11Token Open(Pkcs11Settings settings, ILogger? logger = null)
    {
        var module = Pkcs11Module.Acquire(settings.ModulePath);
        Pkcs11Token token;
        try
        {
            var (slot, label) = FindSlot(module, settings);
            token = new Pkcs11Token(module, slot, label, settings, logger ?? NullLogger.Instance);
        }
        catch
        {
            module.Release();
            throw;
        }
        // From here the token owns the module reference.
        try
        {
            token.Run(_ => true, CancellationToken.None);
            return token;
        }
        catch (Pkcs11Exception e)
        {
            token.Dispose();
            throw new Pkcs11ModuleException($"cannot use {settings.TokenDescription} of {settings.ModulePath}: {Pkcs11Errors.Reason(e)}", e);
        }
        catch
        {
            token.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on a logged-in session of its own. Retried once on a fresh
    /// session after the token forgot the session or the login.
    /// </summary>
    /// <exception cref="Pkcs11Exception">The module refused the operation.</exception>
    public T Run<T>(Func<ISession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _roles.EnterReadLock();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var session = Rent(cancellationToken);
                var keep = true;
                try
                {
                    EnsureLoggedIn(session);
                    return operation(session);
                }
                catch (Pkcs11Exception e) when (attempt == 0 && Pkcs11Errors.IsSessionLost(e.RV))
                {
                    keep = e.RV == CKR.CKR_USER_NOT_LOGGED_IN;
                    Forget(e.RV);
                }
                catch (Pkcs11Exception e) when (Pkcs11Errors.IsSessionLost(e.RV))
                {
                    keep = false;
                    throw;
                }
                finally
                {
                    Return(session, keep);
                }
            }
        }
        finally
        {
            _roles.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> logged in as security officer with <paramref name="soPin"/>
    /// (ykcs11 takes the PIV management key as the SO PIN to generate keys), while no other
    /// operation runs; the user logs in again afterwards.
    /// </summary>
    public T RunAsSecurityOfficer<T>(string soPin, Func<ISession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _roles.EnterWriteLock();
        try
        {
            var session = Rent(cancellationToken);
            try
            {
                LogoutQuietly(session);
                _loggedIn = false;
                session.Login(CKU.CKU_SO, soPin);
                try
                {
                    return operation(session);
                }
                finally
                {
                    LogoutQuietly(session);
                }
            }
            finally
            {
                Return(session, keep: true);
            }
        }
        finally
        {
            _roles.ExitWriteLock();
        }
    }

    /// <summary>Closes the pooled sessions and releases the module. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        while (_idle.TryTake(out var session))
        {
            CloseQuietly(session);
        }
        _module.Release();
    }

    private ISession Rent(CancellationToken cancellationToken)
    {
        _available.Wait(cancellationToken);
        try
        {
            return _idle.TryTake(out var session) ? session : Slot.OpenSession(SessionType.ReadWrite);
        }
        catch
        {
            _available.Release();
            throw;
        }
    }

    private void Return(ISession session, bool keep)
    {
        if (keep && _disposed == 0)
        {
            _idle.Add(session);
        }
        else
        {
            CloseQuietly(session);
        }
        _available.Release();
    }

    private void EnsureLoggedIn(ISession session)
    {
        if (_loggedIn || _settings.Pin is null)
        {
            return;
        }
        lock (_loginGate)
        {
            if (_loggedIn)
            {
                return;
            }
            try
            {
                session.Login(CKU.CKU_USER, _settings.Pin);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // Another manager of this process logged in to the same token.
            }
            _loggedIn = true;
        }
    }

    private void Forget(CKR reason)
    {
        _loggedIn = false;
        if (reason != CKR.CKR_USER_NOT_LOGGED_IN)
        {
            Interlocked.Increment(ref _epoch);
            while (_idle.TryTake(out var stale))
            {
                CloseQuietly(stale);
            }
        }
        LogTokenReset(_logger, TokenLabel, reason.ToString());
    }

    private static void LogoutQuietly(ISession session)
    {
        try
        {
            session.Logout();
        }
        catch (Pkcs11Exception)
        {
            // Not logged in: nothing to undo.
        }
    }

    private static void CloseQuietly(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // The token already dropped it.
        }
    }

    private static (ISlot Slot, string Label) FindSlot(Pkcs11Module module, Pkcs11Settings settings)
    {
        List<ISlot> slots;
        try
        {
            slots = module.Library.GetSlotList(SlotsType.WithTokenPresent);
        }
        catch (Pkcs11Exception e)
        {
            throw new Pkcs11ModuleException($"cannot list the tokens of {settings.ModulePath}: {Pkcs11Errors.Reason(e)}", e);
        }
        var seen = new List<string>();
        foreach (var slot in slots)
        {
            ITokenInfo info;
            try
            {
                info = slot.GetTokenInfo();
            }
            catch (Pkcs11Exception)
            {
                continue; // removed while listing
            }
            var label = info.Label.Trim();
            var serial = info.SerialNumber.Trim();
            seen.Add($"\"{label}\" (serial {serial}, slot-id {slot.SlotId})");
            if (settings.FirstToken
                || (settings.TokenLabel is not null && label == settings.TokenLabel)
                || (settings.TokenSerial is not null && serial == settings.TokenSerial)
                || (settings.SlotId is not null && slot.SlotId == settings.SlotId))
            {
                return (slot, label);
            }
        }
        var present = seen.Count == 0 ? "the module reports no token" : "tokens present: " + string.Join(", ", seen);
        throw new Pkcs11ModuleException($"no {settings.TokenDescription} in {settings.ModulePath}; {present}");
    }

    [LoggerMessage(EventId = 4101, EventName = "Pkcs11TokenReset", Level = LogLevel.Warning, Message = "PKCS#11 token \"{Token}\" dropped its sessions or login ({Reason}); logging in again")]
    private static partial void LogTokenReset(ILogger logger, string token, string reason);
}
