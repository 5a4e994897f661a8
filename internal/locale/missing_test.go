package locale

import "slices"

// Missing reports, as "lang: key" and sorted, every key that some locale has and another lacks.
// An empty result means every language translates the same set of keys.
func (b *Bundle) Missing() []string {
	all := map[string]bool{}
	for _, l := range b.locales {
		for k := range l.msgs {
			all[k] = true
		}
	}
	var out []string
	for _, lang := range b.langs {
		msgs := b.locales[lang].msgs
		for k := range all {
			if _, ok := msgs[k]; !ok {
				out = append(out, lang+": "+k)
			}
		}
	}
	slices.Sort(out)
	return out
}
