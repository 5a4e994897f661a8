package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"warta/internal/event"
	"warta/internal/model"
	"warta/internal/slug"
	"warta/internal/store"
	"warta/internal/valid"
)

// DefaultMaxBytes is the upload limit when Library.MaxBytes is zero.
const DefaultMaxBytes = 20 << 20

// Limits on the words that go with an item.
const (
	MaxAlt     = 300
	MaxCaption = 1000
	MaxCredit  = 200
)

// ErrInUse: the item is shown by an article or page. Delete returns it
// inside an *InUseError that lists them.
var ErrInUse = errors.New("media: in use")

// InUseError names who still shows an item that was not deleted.
type InUseError struct{ Uses []store.MediaUse }

func (e *InUseError) Error() string {
	return fmt.Sprintf("media: used by %d articles or pages", len(e.Uses))
}
func (e *InUseError) Unwrap() error { return ErrInUse }

// Meta is the words that go with an item.
type Meta struct{ Alt, Caption, Credit string }

// Library is the media library: uploads, search, the words per item, and
// deletion that looks before it leaps.
type Library struct {
	Store    store.MediaLibrary
	Storage  Storage
	MaxBytes int64            // DefaultMaxBytes when zero
	Events   *event.Bus       // may be nil
	Now      func() time.Time // the program's clock; names the YYYY/MM folder
}

func (l *Library) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

func (l *Library) now() time.Time { return l.Now() }

// Upload checks, cleans and stores an image with its variants, and
// records it. A refused file comes back as valid.Errors on the field
// "file", and nothing is stored. uploader may be nil (an import).
func (l *Library) Upload(ctx context.Context, uploader *model.User, filename string, r io.Reader, meta Meta) (*store.MediaItem, error) {
	meta, errs := checkMeta(meta)
	p, err := Process(ctx, r, l.maxBytes())
	if err != nil {
		if !uploadRefusal(&errs, err, l.maxBytes()) {
			return nil, err
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	it := &store.MediaItem{
		Media: model.Media{ContentType: p.ContentType, Size: int64(len(p.Original)), Width: p.Width, Height: p.Height,
			Alt: meta.Alt, Caption: meta.Caption, Credit: meta.Credit, CreatedAt: l.now()},
		Filename: cleanFilename(filename),
	}
	if uploader != nil {
		it.UploaderID = &uploader.ID
	}
	// The record goes in first: its unique path is what claims the name,
	// so two uploads of "foto.jpg" at the same moment never write over
	// each other's files.
	if err := l.claim(ctx, it, p); err != nil {
		return nil, err
	}
	if err := l.putFiles(ctx, it, p); err != nil {
		l.Store.DeleteMediaItem(context.WithoutCancel(ctx), it.ID)
		return nil, err
	}
	l.Events.Publish(ctx, event.MediaChanged{Path: it.Path, New: true})
	return it, nil
}

// PlaceFiles stores a processed image under a fixed path ("demo/kopi.jpg")
// with its variants beside it ("demo/kopi-320w.jpg" …), as Upload does but
// without choosing the name: it is for pictures that ship with Warta,
// whose articles link them by path. It returns the record Record then
// keeps, so a caller writing many records in one transaction writes the
// files before it begins (media storage may be the database itself). The
// files are written again when they exist (the same bytes), and an
// existing record is kept, so two instances starting at once end with the
// same library.
func (l *Library) PlaceFiles(ctx context.Context, at string, p *Processed, meta Meta) (*store.MediaItem, error) {
	meta, errs := checkMeta(meta)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(at, path.Ext(at))
	it := &store.MediaItem{
		Media: model.Media{Path: at, ContentType: p.ContentType, Size: int64(len(p.Original)), Width: p.Width, Height: p.Height,
			Alt: meta.Alt, Caption: meta.Caption, Credit: meta.Credit, CreatedAt: l.now()},
		Filename: path.Base(at),
	}
	for _, v := range p.Variants {
		it.Variants = append(it.Variants, store.MediaVariant{
			Path:  base + "-" + strconv.Itoa(v.Width) + "w" + extFor(v.ContentType),
			Width: v.Width, Height: v.Height, ContentType: v.ContentType, Size: int64(len(v.Data)),
		})
	}
	// Files first: a record is only ever made for files that are there.
	if err := l.putFiles(ctx, it, p); err != nil {
		return nil, err
	}
	return it, nil
}

// Record keeps the record of files PlaceFiles wrote, or returns the one
// kept already.
func (l *Library) Record(ctx context.Context, it *store.MediaItem) (*store.MediaItem, error) {
	if got, err := l.Store.MediaItemByPath(ctx, it.Path); err == nil {
		return got, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := l.Store.CreateMediaItem(ctx, it); err != nil {
		if errors.Is(err, store.ErrConflict) { // another instance was first
			return l.Store.MediaItemByPath(ctx, it.Path)
		}
		return nil, err
	}
	l.Events.Publish(ctx, event.MediaChanged{Path: it.Path})
	return it, nil
}

// uploadRefusal turns Process's reasons into messages for the person
// uploading. Other errors (a failed read) are not theirs to fix.
func uploadRefusal(errs *valid.Errors, err error, limit int64) bool {
	switch {
	case errors.Is(err, ErrTooLarge):
		if limit >= 1<<20 && limit%(1<<20) == 0 {
			errs.Add("file", "too_large", "media.error.too_large_mb", int(limit>>20))
		} else {
			errs.Add("file", "too_large", "media.error.too_large_kb", int((limit+1023)>>10))
		}
	case errors.Is(err, ErrEmpty):
		errs.Add("file", "required", "media.error.empty")
	case errors.Is(err, ErrUnsupported):
		errs.Add("file", "unsupported", "media.error.unsupported")
	case errors.Is(err, ErrDimensions):
		errs.Add("file", "too_large", "media.error.dimensions", MaxSide, MaxPixels/1_000_000)
	case errors.Is(err, ErrCorrupt):
		errs.Add("file", "invalid", "media.error.corrupt")
	case errors.Is(err, ErrTooHeavy):
		errs.Add("file", "too_large", "media.error.too_heavy")
	case errors.Is(err, ErrBusy):
		errs.Add("file", "busy", "media.error.busy")
	default:
		return false
	}
	return true
}

func checkMeta(m Meta) (Meta, valid.Errors) {
	var errs valid.Errors
	m.Alt, m.Caption, m.Credit = strings.TrimSpace(m.Alt), strings.TrimSpace(m.Caption), strings.TrimSpace(m.Credit)
	for _, f := range []struct {
		name, val string
		max       int
	}{{"alt", m.Alt, MaxAlt}, {"caption", m.Caption, MaxCaption}, {"credit", m.Credit, MaxCredit}} {
		if utf8.RuneCountInString(f.val) > f.max {
			errs.Add(f.name, "too_long", "validation.too_long", f.name, f.max)
		}
	}
	return m, errs
}

// cleanFilename keeps the base name the browser sent, for search only.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.ToValidUTF8(strings.TrimSpace(name), "")
	if name == "." || name == "/" {
		return ""
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

// variantSuffix is how a variant's name ends; an original may not end
// like that, so no upload can take the name of another's variant.
var variantSuffix = regexp.MustCompile(`-[0-9]+w$`)

// baseName turns an uploaded file name into the slug part of a path.
func baseName(filename string) string {
	name := strings.TrimSuffix(filename, path.Ext(filename))
	s := slug.Make(name)
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		s = "gambar"
	}
	if variantSuffix.MatchString(s) {
		s += "-img"
	}
	return s
}

// claim records it under the first free YYYY/MM/name(-N).ext path.
func (l *Library) claim(ctx context.Context, it *store.MediaItem, p *Processed) error {
	dir := it.CreatedAt.UTC().Format("2006/01")
	base := baseName(it.Filename)
	ext := p.Ext()
	for n := 1; n < 1000; n++ {
		name := base
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		it.Path = dir + "/" + name + ext
		it.Variants = it.Variants[:0]
		for _, v := range p.Variants {
			it.Variants = append(it.Variants, store.MediaVariant{
				Path:  dir + "/" + name + "-" + strconv.Itoa(v.Width) + "w" + extFor(v.ContentType),
				Width: v.Width, Height: v.Height, ContentType: v.ContentType, Size: int64(len(v.Data)),
			})
		}
		err := l.Store.CreateMediaItem(ctx, it)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("media: no free name for %q", base)
}

// putFiles writes the variants and the original; on failure it removes
// what it wrote.
func (l *Library) putFiles(ctx context.Context, it *store.MediaItem, p *Processed) error {
	var written []string
	for i, v := range p.Variants {
		name := it.Variants[i].Path
		if err := l.Storage.Put(ctx, name, bytes.NewReader(v.Data)); err != nil {
			l.removeFiles(ctx, written)
			return fmt.Errorf("store %s: %w", name, err)
		}
		written = append(written, name)
	}
	if err := l.Storage.Put(ctx, it.Path, bytes.NewReader(p.Original)); err != nil {
		l.removeFiles(ctx, written)
		return fmt.Errorf("store %s: %w", it.Path, err)
	}
	return nil
}

func (l *Library) removeFiles(ctx context.Context, names []string) {
	ctx = context.WithoutCancel(ctx)
	for _, n := range names {
		l.Storage.Delete(ctx, n)
	}
}

// Get returns one item.
func (l *Library) Get(ctx context.Context, id int64) (*store.MediaItem, error) {
	return l.Store.MediaItemByID(ctx, id)
}

// List returns one page of items, newest first, and the number of items
// on all pages.
func (l *Library) List(ctx context.Context, q store.MediaQuery) ([]*store.MediaItem, int, error) {
	q.Text = strings.TrimSpace(q.Text)
	items, err := l.Store.ListMediaItems(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	n, err := l.Store.CountMediaItems(ctx, q)
	return items, n, err
}

// Update changes the words that go with an item.
func (l *Library) Update(ctx context.Context, id int64, meta Meta) (*store.MediaItem, error) {
	meta, errs := checkMeta(meta)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	it, err := l.Store.MediaItemByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := l.Store.UpdateMediaText(ctx, id, meta.Alt, meta.Caption, meta.Credit); err != nil {
		return nil, err
	}
	it.Alt, it.Caption, it.Credit = meta.Alt, meta.Caption, meta.Credit
	l.Events.Publish(ctx, event.MediaChanged{Path: it.Path})
	return it, nil
}

// Usage lists the articles and pages that show the item or one of its
// variants.
func (l *Library) Usage(ctx context.Context, it *store.MediaItem) ([]store.MediaUse, error) {
	paths := []string{it.Path}
	for _, v := range it.Variants {
		paths = append(paths, v.Path)
	}
	return l.Store.MediaUsage(ctx, paths)
}

// Delete removes an item and its files. While an article or page shows
// it, Delete refuses with an *InUseError (errors.Is ErrInUse) unless
// force is set; the admin screen shows the list and asks again.
func (l *Library) Delete(ctx context.Context, id int64, force bool) error {
	it, err := l.Store.MediaItemByID(ctx, id)
	if err != nil {
		return err
	}
	if !force {
		uses, err := l.Usage(ctx, it)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			return &InUseError{Uses: uses}
		}
	}
	// The record goes first: files without a record are harmless, a
	// record without files is a broken picture in the library.
	if err := l.Store.DeleteMediaItem(ctx, id); err != nil {
		return err
	}
	names := []string{it.Path}
	for _, v := range it.Variants {
		names = append(names, v.Path)
	}
	var errs []error
	for _, n := range names {
		if err := l.Storage.Delete(ctx, n); err != nil && !errors.Is(err, ErrNotFound) {
			errs = append(errs, err)
		}
	}
	l.Events.Publish(ctx, event.MediaChanged{Path: it.Path})
	return errors.Join(errs...)
}
