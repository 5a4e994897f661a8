package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"warta/internal/article"
	"warta/internal/demo"
	"warta/internal/event"
	"warta/internal/media"
	"warta/internal/model"
	"warta/internal/page"
	"warta/internal/render"
	"warta/internal/store"
)

// FirstStart sets up a new database: default settings and, when demo is
// true, the demo site, all in one transaction (a start that fails leaves
// the database empty, and the next one begins again), announced by one
// event once committed. It reports whether this was the first start. It
// is safe to call on every start and on several instances at once.
func (a *App) FirstStart(ctx context.Context, withDemo bool) (bool, error) {
	if _, err := a.Store.GetKV(ctx, "installed_at"); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	var (
		content *demo.Content
		images  []demoImage
		err     error
	)
	if withDemo {
		if content, err = demo.Load(); err != nil {
			return false, err
		}
		if images, err = demoImages(); err != nil {
			return false, err
		}
	}
	// The demo's pictures go through the media library as uploads do (the
	// resized copies give them a srcset too). Their files are written
	// before the transaction (media storage may be the database itself);
	// the same bytes again at a later start.
	var pictures []*store.MediaItem
	for _, img := range images {
		it, err := a.Library.PlaceFiles(ctx, "demo/"+img.name, img.p, media.Meta{})
		if err != nil {
			return false, fmt.Errorf("demo image %s: %w", img.name, err)
		}
		pictures = append(pictures, it)
	}
	nonce := make([]byte, 8)
	rand.Read(nonce)
	stamp := a.Now().UTC().Format(time.RFC3339) + " " + hex.EncodeToString(nonce)
	first := false
	err = a.Store.InTx(ctx, func(tx store.Tx) error {
		// Claimed before anything else: an instance starting at the same
		// moment waits here until this transaction ends, then finds the
		// site installed.
		got, err := tx.PutKVIfAbsent(ctx, "installed_at", stamp)
		if err != nil || got != stamp {
			return err
		}
		first = true
		st := model.DefaultSettings()
		if withDemo {
			if err := a.seedDemo(ctx, tx, content, pictures, &st); err != nil {
				return fmt.Errorf("demo content: %w", err)
			}
		}
		return tx.SaveSettings(ctx, st)
	})
	if err != nil {
		return false, err
	}
	if first {
		a.Events.Publish(ctx, event.SettingsChanged{})
	}
	return first, nil
}

// seedDemo writes the demo site within the first start's transaction tx,
// through the same rules as the newsroom (the article and page services
// and the media library, each working on tx and announcing nothing: the
// first start announces everything at once).
func (a *App) seedDemo(ctx context.Context, tx store.Tx, c *demo.Content, pictures []*store.MediaItem, st *model.Settings) error {
	st.SiteName, st.Tagline = c.Site.Name, c.Site.Tagline
	st.CommentTerms = "pedoman-media-siber" // its part on readers' content
	lib := *a.Library
	lib.Store, lib.Events = tx, nil
	for _, it := range pictures {
		if _, err := lib.Record(ctx, it); err != nil {
			return fmt.Errorf("image %s: %w", it.Path, err)
		}
	}
	// The demo's byline. It has no password, so nobody can log in as it.
	editor := &model.User{Email: "redaksi@warta.invalid", Name: "Redaksi " + c.Site.Name, Slug: "redaksi", Role: model.RoleEditor,
		Active: true, Bio: "Tim redaksi " + c.Site.Name + "."}
	if err := tx.CreateUser(ctx, editor); err != nil {
		return err
	}
	ids := map[string]int64{}
	for i, cat := range c.Categories {
		m := &model.Category{Name: cat.Name, Slug: cat.Slug, Description: cat.Description, Position: i}
		if cat.ParentSlug != "" {
			p := ids[cat.ParentSlug]
			m.ParentID = &p
		}
		if err := tx.CreateCategory(ctx, m); err != nil {
			return err
		}
		ids[cat.Slug] = m.ID
	}
	md := render.New()
	articles := article.New(tx, md, nil, a.Now)
	published := model.StatusPublished
	open := true
	for _, d := range c.Articles {
		d := d
		pub := d.Published
		cats := []string{d.CategorySlug}
		in := article.Input{Title: &d.Title, Slug: &d.Slug, Dateline: &d.Dateline, Body: &d.Body, Excerpt: &d.Excerpt,
			Status: &published, PublishedAt: &pub, Categories: &cats, Tags: &d.Tags, CommentsOpen: &open,
			Image: &model.Image{URL: d.Image, Alt: d.ImageAlt, Caption: d.ImageCaption}, Written: pub}
		if _, err := articles.Create(ctx, editor, in); err != nil {
			return fmt.Errorf("article %s: %w", d.Slug, err)
		}
	}
	pages := page.New(tx, md, nil, a.Now)
	for i, p := range c.Pages {
		if _, err := pages.Create(ctx, editor, page.Input{Title: p.Title, Slug: p.Slug, Body: p.Body,
			Status: model.StatusPublished, Position: i}); err != nil {
			return fmt.Errorf("page %s: %w", p.Slug, err)
		}
	}
	return nil
}

// demoImage is a demo illustration made ready for the media library.
type demoImage struct {
	name string
	p    *media.Processed
}

// demoImages processes the demo's illustrations as uploads are processed
// (checked, cleaned, resized), once per program: it takes a few seconds
// of CPU, and a program (a test binary) may start many demo sites.
var demoImages = sync.OnceValues(func() ([]demoImage, error) {
	images, err := demo.Images()
	if err != nil {
		return nil, err
	}
	out := make([]demoImage, len(images))
	errs := make([]error, len(images))
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.NumCPU())
	for i, img := range images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			p, err := media.Process(context.Background(), bytes.NewReader(img.Data), int64(len(img.Data)))
			if err == nil {
				// The shipped file is already clean and smaller than its
				// re-encoding; the variants are made from it as above.
				p.Original = img.Data
			}
			out[i], errs[i] = demoImage{name: img.Name, p: p}, err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
})
