package cluster

import (
	"reflect"
	"testing"

	"warta/internal/event"
)

// TestEveryEventCrossesTheWire: each change event comes back from the
// wire as it left, a message cut to its kind reads as that kind's zero
// event, and an unknown kind is an error.
func TestEveryEventCrossesTheWire(t *testing.T) {
	sent := []event.Event{
		event.ArticleChanged{ID: 7, OldURL: "/a", NewURL: "/b", Categories: []string{"ekonomi"}, Tags: []string{"pasar"}, Author: "rina", NewCategory: true},
		event.CommentChanged{ArticleID: 7, URL: "/b"},
		event.SettingsChanged{}, event.TaxonomyChanged{},
		event.PageChanged{Slug: "baru", OldSlug: "lama"},
		event.MediaChanged{Path: "2024/07/a.jpg", New: true},
		event.AuthorChanged{ID: 3},
		event.CorrectionChanged{ArticleID: 7, URL: "/b", LinkedURL: "/c"},
		event.RedirectChanged{From: "/?p=12"},
		event.SearchVariantsChanged{},
	}
	if len(sent) != len(kinds) {
		t.Fatalf("%d events sent, %d kinds on the wire: add the new event here", len(sent), len(kinds))
	}
	for _, e := range sent {
		name, raw, err := encode(e)
		if err != nil {
			t.Fatalf("%T: %v", e, err)
		}
		got, err := decode(name, raw)
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("%T: came back as %#v (%v)", e, got, err)
		}
	}
	if got, err := decode("settings", nil); err != nil || got != (event.SettingsChanged{}) {
		t.Errorf("a message cut to its kind: %#v, %v", got, err)
	}
	if _, err := decode("sesuatu", nil); err == nil {
		t.Error("unknown kind accepted")
	}
}
