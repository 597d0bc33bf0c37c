/// The property laws of every operation. (Being moved here from Cache.Properties.)
module FunctionalCache.Laws.PropertyLaws

/// The property laws that apply to the subject.
let laws (subject: Subject) : Law list = []
