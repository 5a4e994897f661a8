package search

import (
	"slices"
	"testing"
)

func TestCandidates(t *testing.T) {
	c := Candidates("banjri")
	for _, want := range []string{"banjir", "banjr", "bajnri", "banjari", "banjra"} {
		if _, ok := slices.BinarySearch(c, want); !ok {
			t.Errorf("banjri: %q missing", want)
		}
	}
	if slices.Contains(c, "banjri") || !slices.IsSorted(c) || len(c) != len(slices.Compact(slices.Clone(c))) {
		t.Error("banjri: itself, unsorted or repeated")
	}
	// 6 deletes, 5 swaps, 6×26 changes, 7×26 inserts, less repeats and itself.
	if len(c) > 6+5+6*26+7*26 || len(c) < 300 {
		t.Errorf("banjri: %d candidates", len(c))
	}
	for _, w := range []string{"hp", "ikn", "café", "covid19", "Banjir"} {
		if c := Candidates(w); c != nil {
			t.Errorf("%s: %d candidates, want none", w, len(c))
		}
	}
}
