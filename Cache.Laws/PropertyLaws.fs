/// The property laws of every operation, gathered: expiry, single operations, counters, culling, key warnings and the
/// F# round trip. Each concept's module gives only the laws that apply to the subject's capabilities.
module FunctionalCache.Laws.PropertyLaws

/// The property laws that apply to the subject, each under its concept's group ("expiry", "culling"...).
let laws (subject: Subject) : Law list =
    ExpiryLaws.laws subject
    @ OperationLaws.laws subject
    @ CounterLaws.laws subject
    @ CullingLaws.laws subject
    @ KeyWarningLaws.laws subject
    @ RoundTripLaws.laws subject
