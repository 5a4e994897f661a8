package stem

// IsProtected reports whether word is kept as is by Stem. Protected words
// are names and common words the algorithm over-stems into a different,
// unrelated word, so a search for that other word would match them. The
// list is deliberately short: each entry is a departure from PostgreSQL's
// ts_lexize. It matches the whole lowercase word; Stem also keeps a
// protected word whole under the endings -ku, -mu, -nya, -kah, -lah and
// -pun (menterinya → menteri). Keep the list equal to warta_tsvector's in
// the PostgreSQL migrations (a test checks it).
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
		"kerjasama", // → rjasama; bekerjasama already stems to kerjasama.
		// Roots whose last letter is read as the suffix -i.
		"nilai", // → nila (the fish); menilai and penilaian stem apart anyway.
		"ramai": // → rama (a name).
		return true
	}
	return false
}
