package app

import (
	"bytes"
	"context"
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
	"warta/internal/render"
	"warta/internal/store"
)

// FirstStart sets up a new database: default settings and, when demo is
// true, the demo site. It reports whether this was the first start. It is
// safe to call on every start and on several instances at once.
func (a *App) FirstStart(ctx context.Context, withDemo bool) (bool, error) {
	if _, err := a.Store.GetKV(ctx, "installed_at"); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	st := model.DefaultSettings()
	if withDemo {
		if err := a.seedDemo(ctx, &st); err != nil {
			return false, fmt.Errorf("demo content: %w", err)
		}
	}
	if err := a.Store.SaveSettings(ctx, st); err != nil {
		return false, err
	}
	stamp := a.Now().UTC().Format(time.RFC3339)
	got, err := a.Store.PutKVIfAbsent(ctx, "installed_at", stamp)
	if err != nil {
		return false, err
	}
	a.Events.Publish(ctx, event.SettingsChanged{})
	return got == stamp, nil
}

// seedDemo writes the demo site. Each piece is skipped when it already
// exists, so a start that failed half-way completes on the next one.
func (a *App) seedDemo(ctx context.Context, st *model.Settings) error {
	c, err := demo.Load()
	if err != nil {
		return err
	}
	st.SiteName, st.Tagline = c.Site.Name, c.Site.Tagline
	images, err := demoImages()
	if err != nil {
		return err
	}
	for _, img := range images {
		// Through the media library, as an upload: the resized copies
		// give the demo's pictures a srcset too.
		if _, err := a.Library.Place(ctx, "demo/"+img.name, img.p, media.Meta{}); err != nil {
			return fmt.Errorf("image %s: %w", img.name, err)
		}
	}
	editor, err := a.Store.UserBySlug(ctx, "redaksi")
	if errors.Is(err, store.ErrNotFound) {
		// The demo's byline. It has no password, so nobody can log in as it.
		editor = &model.User{Email: "redaksi@warta.invalid", Name: "Redaksi " + c.Site.Name, Slug: "redaksi", Role: model.RoleEditor,
			Active: true, Bio: "Tim redaksi " + c.Site.Name + "."}
		if err := a.Store.CreateUser(ctx, editor); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	ids := map[string]int64{}
	for i, cat := range c.Categories {
		if got, err := a.Store.CategoryBySlug(ctx, cat.Slug); err == nil {
			ids[cat.Slug] = got.ID
			continue
		}
		m := &model.Category{Name: cat.Name, Slug: cat.Slug, Description: cat.Description, Position: i}
		if cat.ParentSlug != "" {
			p := ids[cat.ParentSlug]
			m.ParentID = &p
		}
		if err := a.Store.CreateCategory(ctx, m); err != nil {
			return err
		}
		ids[cat.Slug] = m.ID
	}
	published := model.StatusPublished
	open := true
	for _, d := range c.Articles {
		if _, err := a.Store.ArticleBySlug(ctx, d.Slug); err == nil {
			continue
		}
		d := d
		pub := d.Published
		cats := []string{d.CategorySlug}
		in := article.Input{Title: &d.Title, Slug: &d.Slug, Dateline: &d.Dateline, Body: &d.Body, Excerpt: &d.Excerpt,
			Status: &published, PublishedAt: &pub, Categories: &cats, Tags: &d.Tags, CommentsOpen: &open,
			Image: &model.Image{URL: d.Image, Alt: d.ImageAlt, Caption: d.ImageCaption}, Written: pub}
		if _, err := a.Articles.Create(ctx, editor, in); err != nil {
			return fmt.Errorf("article %s: %w", d.Slug, err)
		}
	}
	md := render.New()
	for i, p := range c.Pages {
		if _, err := a.Store.PageBySlug(ctx, p.Slug); err == nil {
			continue
		}
		html, err := md.HTML(p.Body)
		if err != nil {
			return err
		}
		if err := a.Store.CreatePage(ctx, &model.Page{Title: p.Title, Slug: p.Slug, Body: p.Body, BodyHTML: html,
			Status: model.StatusPublished, Position: i}); err != nil {
			return err
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
			p, err := media.Process(bytes.NewReader(img.Data), int64(len(img.Data)))
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
