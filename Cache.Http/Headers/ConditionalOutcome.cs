using LanguageExt;

namespace FunctionalCache.Http;

/// <summary>
/// What a conditional request comes to. A closed type: exactly <see cref="ProceedCase"/> (serve the response),
/// <see cref="NotModifiedCase"/> (304) or <see cref="PreconditionFailedCase"/> (412).
/// </summary>
/// <remarks>
/// Returned by <see cref="Conditional.GetConditionalResponse"/> and <see cref="Conditional.ConditionalGet(RequestHead, ResponseHead, ReadOnlySpan{byte}, DateTimeOffset)"/>.
/// A 304 or 412 replaces the response, body included (it has none). Immutable and thread-safe.
/// </remarks>
public abstract record ConditionalOutcome
{
    private ConditionalOutcome() { }

    /// <summary>No precondition fired: serve <paramref name="response"/> (None when the caller gave none).</summary>
    public static ConditionalOutcome Proceed(Option<ResponseHead> response) => new ProceedCase(response);

    /// <summary>Answer with <paramref name="response"/>, a 304 with no body.</summary>
    public static ConditionalOutcome NotModified(ResponseHead response) => new NotModifiedCase(response);

    /// <summary>Answer with <paramref name="response"/>, a 412 with no body.</summary>
    public static ConditionalOutcome PreconditionFailed(ResponseHead response) => new PreconditionFailedCase(response);

    /// <summary>True for <see cref="ProceedCase"/>.</summary>
    public bool IsProceed => this is ProceedCase;

    /// <summary>True for <see cref="NotModifiedCase"/>.</summary>
    public bool IsNotModified => this is NotModifiedCase;

    /// <summary>True for <see cref="PreconditionFailedCase"/>.</summary>
    public bool IsPreconditionFailed => this is PreconditionFailedCase;

    /// <summary>The response to send: the one to serve, the 304 or the 412 (None only when proceeding without a response).</summary>
    public abstract Option<ResponseHead> Response { get; }

    /// <summary>Folds the three cases into one value.</summary>
    public abstract TResult Match<TResult>(
        Func<Option<ResponseHead>, TResult> onProceed,
        Func<ResponseHead, TResult> onNotModified,
        Func<ResponseHead, TResult> onPreconditionFailed);

    /// <summary>The <see cref="Proceed"/> case.</summary>
    public sealed record ProceedCase : ConditionalOutcome
    {
        internal ProceedCase(Option<ResponseHead> response) => Served = response;

        /// <summary>The response to serve, unchanged except for an ETag the conditional-GET step added; None when none was given.</summary>
        public Option<ResponseHead> Served { get; }

        /// <inheritdoc/>
        public override Option<ResponseHead> Response => Served;

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<Option<ResponseHead>, TResult> onProceed, Func<ResponseHead, TResult> onNotModified, Func<ResponseHead, TResult> onPreconditionFailed) =>
            onProceed(Served);
    }

    /// <summary>The <see cref="NotModified"/> case.</summary>
    public sealed record NotModifiedCase : ConditionalOutcome
    {
        internal NotModifiedCase(ResponseHead response) => NotModifiedResponse = response;

        /// <summary>The 304: status 304 and only the headers a 304 keeps.</summary>
        public ResponseHead NotModifiedResponse { get; }

        /// <inheritdoc/>
        public override Option<ResponseHead> Response => NotModifiedResponse;

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<Option<ResponseHead>, TResult> onProceed, Func<ResponseHead, TResult> onNotModified, Func<ResponseHead, TResult> onPreconditionFailed) =>
            onNotModified(NotModifiedResponse);
    }

    /// <summary>The <see cref="PreconditionFailed"/> case.</summary>
    public sealed record PreconditionFailedCase : ConditionalOutcome
    {
        internal PreconditionFailedCase(ResponseHead response) => FailedResponse = response;

        /// <summary>The 412: status 412 and no headers.</summary>
        public ResponseHead FailedResponse { get; }

        /// <inheritdoc/>
        public override Option<ResponseHead> Response => FailedResponse;

        /// <inheritdoc/>
        public override TResult Match<TResult>(Func<Option<ResponseHead>, TResult> onProceed, Func<ResponseHead, TResult> onNotModified, Func<ResponseHead, TResult> onPreconditionFailed) =>
            onPreconditionFailed(FailedResponse);
    }
}
