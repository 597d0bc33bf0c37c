/// Django's common backend contract (`BaseCacheTests`) as example laws. (Being moved here from Cache.Tests.)
module FunctionalCache.Laws.Contract

/// The contract's examples that apply to the subject.
let laws (subject: Subject) : Law list = []
