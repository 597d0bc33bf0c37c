using System.Runtime.CompilerServices;
using LanguageExt;
using static LanguageExt.Prelude;

namespace FunctionalCache.Backends.LocMem;

public sealed partial class LocMemCache
{
    /// <inheritdoc/>
    public OptionUnsafe<T> Get<T>(string key, int? version = null) =>
        TryRead(key, version, touchStamp: true, out var entry) ? SomeUnsafe(Read<T>(entry.Payload)) : None;

    /// <inheritdoc/>
    public void Set<T>(string key, T value, CacheTimeout? timeout = null, int? version = null) =>
        SetPayload(Key(key, version, out var keyIsValid), keyIsValid, EncodeValue(value), ExpiryOf(timeout));

    /// <inheritdoc/>
    public bool Add<T>(string key, T value, CacheTimeout? timeout = null, int? version = null) =>
        AddPayload(Key(key, version, out var keyIsValid), keyIsValid, EncodeValue(value), ExpiryOf(timeout));

    /// <inheritdoc/>
    public bool Delete(string key, int? version = null) => Remove(Slot(Key(key, version)));

    /// <inheritdoc/>
    public bool HasKey(string key, int? version = null) => TryRead(key, version, touchStamp: false, out _);

    /// <inheritdoc/>
    public Either<CacheError, long> Increment(string key, long delta = 1, int? version = null) =>
        AddToCounter(Key(key, version), delta);

    private void SetPayload(CacheKey key, bool keyIsValid, object payload, Option<Expiry> expiry)
    {
        if (expiry.IsNone)
        {
            Remove(Slot(key));
            return;
        }
        var entry = new LocMemEntry(payload, expiry.IfNone(Expiry.Never), Tick(), keyIsValid);
        var slot = WritableSlot(key);
        // An overwrite changes neither the count nor the culling, so it takes no lock: it replaces exactly the entry it
        // saw, and the locked writers below replace exactly the entry they saw too, so neither loses the other's write.
        if (slot.TryGet(out var current) && slot.Table!.TryUpdate(slot.Name, entry, current)) return;
        lock (_writeLock) Put(slot, entry);
    }

    private bool AddPayload(CacheKey key, bool keyIsValid, object payload, Option<Expiry> expiry)
    {
        lock (_writeLock)
        {
            var slot = WritableSlot(key);
            while (true)
            {
                if (!slot.TryGet(out var current))
                {
                    if (expiry.IsSome) Insert(slot, new LocMemEntry(payload, expiry.IfNone(Expiry.Never), Tick(), keyIsValid));
                    return true;
                }
                if (!current.Expiry.IsExpiredAt(NowTicks)) return false;
                if (expiry.IsNone)
                {
                    Forget(slot, current);
                    return true;
                }
                // In place of the expired entry; a set that replaced it meanwhile makes the key live, so look again.
                if (slot.Table!.TryUpdate(slot.Name, new LocMemEntry(payload, expiry.IfNone(Expiry.Never), Tick(), keyIsValid), current)) return true;
            }
        }
    }

    private bool Remove(LocMemSlot slot)
    {
        lock (_writeLock)
        {
            if (!slot.TryGet(out var entry)) return false;
            Forget(slot, entry);
            return !entry.Expiry.IsExpiredAt(NowTicks);
        }
    }

    private bool Retime(CacheKey key, Expiry expiry)
    {
        var slot = Slot(key);
        lock (_writeLock)
        {
            // The new entry keeps the old one's recency, part of which may still be in the threads' use logs.
            LocMemUseLog.ApplyAll();
            while (true)
            {
                if (!TryLive(slot, touchStamp: false, out var entry)) return false;
                if (slot.Table!.TryUpdate(slot.Name, entry.With(expiry, entry.Stamp), entry)) return true;
            }
        }
    }

    private Either<CacheError, long> AddToCounter(CacheKey key, long delta)
    {
        var slot = Slot(key);
        lock (_writeLock)
        {
            while (true)
            {
                if (!TryLive(slot, touchStamp: false, out var entry)) return Left<CacheError, long>(new CacheError.KeyNotFound(key.Key));
                var sum = PayloadArithmetic.Add(key.Key, Countable(entry.Payload), delta);
                if (sum.IsLeft) return sum.Map(s => s.Value);
                var (payload, value) = sum.IfLeft(default((object, long)));
                // Django's locmem keeps the expiry and makes the key most recently used. A set that replaced the entry
                // meanwhile wins the race, and the increment applies to its value.
                if (slot.Table!.TryUpdate(slot.Name, entry.Incremented(payload, Tick()), entry)) return value;
            }
        }
    }

    /// <inheritdoc/>
    protected override object Encode<T>(T value) => EncodeValue(value);

    // Not virtual, so the sync write paths make no generic virtual call. The copy store holds an immutable value as it
    // is (copying it protects nothing); a custom serializer copies everything, as its round trip may be the point.
    private object EncodeValue<T>(T value)
    {
        if (Store == LocMemStore.Reference) return (object?)value ?? StoredNull.Instance;
        if (ImmutableType<T>.Is && value is not null && Context.Serializer is JsonCacheSerializer json)
        {
            object held = value;
            if (ImmutableType<T>.Holds(held, json)) return held;
        }
        return base.Encode(value);
    }

    /// <inheritdoc/>
    protected override T Decode<T>(object payload) => Read<T>(payload);

    // Not virtual, so the sync hit path makes no generic virtual call.
    private T Read<T>(object payload)
    {
        // The common hit first: the payload is the value itself, of exactly the type asked for (a reference, or a value
        // the copy store holds as it is). Comparing type handles is a load and a compare; a cast is, in shared generic
        // code (any reference T), a call into the runtime's cast helper with T looked up first, which cost a hit 4-5 ns
        // (a fifth of it). A copy store's byte[] is an encoded value, never one to hand out.
        if (!typeof(T).IsValueType && payload.GetType() == typeof(T) && (Store == LocMemStore.Reference || typeof(T) != typeof(byte[])))
            return Unsafe.As<object, T>(ref payload);
        return ReadOther<T>(payload);
    }

    private T ReadOther<T>(object payload)
    {
        if (Store == LocMemStore.Reference)
        {
            return payload switch
            {
                T value => value,
                StoredNull => default!,
                _ => throw new CacheSerializationException($"The stored value is a {payload.GetType().Name}, not a {typeof(T).Name}."),
            };
        }
        // A held value read at its own type (a value type here; references were answered above) is the value.
        if (payload.GetType() == typeof(T) && typeof(T) != typeof(byte[])) return (T)payload;
        if (payload is byte[] bytes) return Deserialize<T>(bytes);
        if (payload is StoredNull) return default!;
        return ReadHeld<T>(payload);
    }

    private T Deserialize<T>(ReadOnlySpan<byte> bytes) =>
        Context.Serializer is JsonCacheSerializer json ? json.Deserialize<T>(bytes) : Context.Serializer.Deserialize<T>(bytes);

    /// <summary>
    /// A held value read at another type: its nullable form is the value, any other type reads the serialized form,
    /// which is what the copy answered (an <see cref="object"/> read of "5" is the JSON number 5).
    /// </summary>
    private T ReadHeld<T>(object held) =>
        held.GetType() == ImmutableType<T>.HeldAs ? (T)held : Deserialize<T>(Context.Serializer.Serialize(held));

    /// <summary>What a counter reads: the serialized form of a held value, so a held int counts as its decimal text did.</summary>
    private object Countable(object payload) =>
        Store == LocMemStore.Copy && payload is not (byte[] or StoredNull) ? Context.Serializer.Serialize(payload) : payload;
}
