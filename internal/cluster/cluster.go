// Package cluster carries change events between Warta instances that share
// one PostgreSQL, through LISTEN/NOTIFY, so every instance's page cache and
// settings hear about every change.
package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"warta/internal/event"
)

// channelFor names the NOTIFY channel: one per database schema, so sites
// sharing a server (or tests sharing a database) do not hear each other.
func channelFor(dbURL string) string {
	ch := "warta_events"
	if u, err := url.Parse(dbURL); err == nil {
		if sp := u.Query().Get("search_path"); sp != "" {
			ch += "_" + strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
					return r
				}
				return '_'
			}, strings.ToLower(sp))
		}
	}
	return ch
}

// Notifier is how a message is sent: the store's pg_notify.
type Notifier func(ctx context.Context, channel, payload string) error

// Cluster forwards local events out and remote events in.
type Cluster struct {
	id      string
	url     string
	channel string
	bus     *event.Bus
	notify  Notifier
	log     *slog.Logger
}

// New joins the instances listening on dbURL. Call Run to start listening.
func New(dbURL string, bus *event.Bus, notify Notifier, log *slog.Logger) *Cluster {
	b := make([]byte, 8)
	rand.Read(b)
	c := &Cluster{id: hex.EncodeToString(b), url: dbURL, channel: channelFor(dbURL), bus: bus, notify: notify, log: log}
	bus.Subscribe(c.forward)
	return c
}

// message is one event on the wire.
type message struct {
	From string          `json:"from"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// kinds names each change event on the wire and reads it back: a new
// event needs its one line here.
var kinds = map[string]func(json.RawMessage) (event.Event, error){
	"article":         unmarshal[event.ArticleChanged],
	"comment":         unmarshal[event.CommentChanged],
	"settings":        unmarshal[event.SettingsChanged],
	"taxonomy":        unmarshal[event.TaxonomyChanged],
	"page":            unmarshal[event.PageChanged],
	"media":           unmarshal[event.MediaChanged],
	"author":          unmarshal[event.AuthorChanged],
	"correction":      unmarshal[event.CorrectionChanged],
	"redirect":        unmarshal[event.RedirectChanged],
	"search_variants": unmarshal[event.SearchVariantsChanged],
}

// kindOf is kinds the other way round: an event's type → its name.
var kindOf = func() map[reflect.Type]string {
	m := map[reflect.Type]string{}
	for name, read := range kinds {
		e, _ := read(nil)
		m[reflect.TypeOf(e)] = name
	}
	return m
}()

func encode(e event.Event) (string, json.RawMessage, error) {
	t, ok := kindOf[reflect.TypeOf(e)]
	if !ok {
		return "", nil, fmt.Errorf("cluster: unknown event %T", e)
	}
	raw, err := json.Marshal(e)
	return t, raw, err
}

func decode(t string, raw json.RawMessage) (event.Event, error) {
	read, ok := kinds[t]
	if !ok {
		return nil, fmt.Errorf("cluster: unknown event type %q", t)
	}
	return read(raw)
}

// unmarshal reads an event of type E; no data (a message cut to its kind,
// see forward) is E's zero value.
func unmarshal[E event.Event](raw json.RawMessage) (event.Event, error) {
	var e E
	if len(raw) == 0 {
		return e, nil
	}
	err := json.Unmarshal(raw, &e)
	return e, err
}

// forward sends a local event to the other instances. It runs inside
// Publish, so a change is on its way to every instance before it is
// acknowledged.
func (c *Cluster) forward(ctx context.Context, e event.Event) {
	if event.IsRemote(ctx) {
		return
	}
	t, raw, err := encode(e)
	if err != nil {
		c.log.Error("cluster: encode event", "err", err)
		return
	}
	payload, _ := json.Marshal(message{From: c.id, Type: t, Data: raw})
	if len(payload) > 7900 {
		// NOTIFY payloads stop at 8000 bytes: send the kind alone, which
		// makes the others drop more than needed, never less.
		payload, _ = json.Marshal(message{From: c.id, Type: "settings"})
	}
	if err := c.notify(context.WithoutCancel(ctx), c.channel, string(payload)); err != nil {
		c.log.Error("cluster: notify", "err", err)
	}
}

// Run listens until ctx ends, reconnecting after a lost connection. Each
// time it (re)connects it delivers a SettingsChanged locally, since events
// sent while it was away are lost: caches start over.
func (c *Cluster) Run(ctx context.Context, ready chan<- struct{}) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := c.listen(ctx, ready)
		ready = nil
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("cluster: listener lost, reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (c *Cluster) listen(ctx context.Context, ready chan<- struct{}) error {
	conn, err := pgx.Connect(ctx, c.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+c.channel); err != nil {
		return err
	}
	c.bus.Publish(event.WithRemote(ctx), event.SettingsChanged{})
	if ready != nil {
		close(ready)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		}
		var m message
		if err := json.Unmarshal([]byte(n.Payload), &m); err != nil || m.From == c.id {
			continue
		}
		e, err := decode(m.Type, m.Data)
		if err != nil {
			c.log.Warn("cluster: bad message", "err", err)
			continue
		}
		c.bus.Publish(event.WithRemote(ctx), e)
	}
}
