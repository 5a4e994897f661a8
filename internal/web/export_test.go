package web

// OccupySearches takes every search slot, as a flood of slow searches
// would, until release is called.
func OccupySearches(s *Site) (release func()) {
	n := cap(s.searchSlots)
	for range n {
		s.searchSlots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.searchSlots
		}
	}
}
