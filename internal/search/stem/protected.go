package stem

// IsProtected reports whether word is kept as is by Stem. Protected words
// are names and common words the algorithm over-stems into a different,
// unrelated word, so a search for that other word would match them. The
// list is deliberately short: each entry is a departure from PostgreSQL's
// ts_lexize, and it matches the whole lowercase word only (pemilunya is
// still stemmed).
func IsProtected(word string) bool {
	switch word {
	case
		// Names.
		"jokowi",   // → jokow: the president's name mangled beyond recognition.
		"megawati", // → gawat ("critical"): me- is read as a prefix.
		"kediri",   // → diri ("self"), one of the most common words.
		"merapi",   // → rapi ("tidy"): the volcano is a news staple.
		"kerinci",  // → rinci ("detail", as in rincian).
		// Common words whose first syllable looks like a prefix.
		"pemilu",    // → pilu ("sorrowful"); pemilu means election.
		"perdana",   // → dana ("funds"): perdana menteri became "dana teri".
		"menteri",   // → teri ("anchovy"); kementerian already stems to menteri.
		"merdeka",   // → rdeka; kemerdekaan already stems to merdeka.
		"kerjasama": // → rjasama; bekerjasama already stems to kerjasama.
		return true
	}
	return false
}
