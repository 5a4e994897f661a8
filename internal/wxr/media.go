package wxr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"warta/internal/media"
	"warta/internal/store"
)

// Bringing a WordPress site's images along. WordPress keeps its uploads
// under …/YYYY/MM/NAME (wp-content/uploads on a site of its own,
// files.wordpress.com on WordPress.com) and puts resized copies beside
// them (NAME-300x200.jpg). PlaceMedia, before the import's transaction,
// reads each image the file refers to from a MediaSource (a copy of the
// uploads folder, or the old site itself), makes Warta's resized
// variants and writes the files under wordpress/YYYY/MM/NAME in media
// storage; the import then records them in the media library, in its
// transaction, and points bodies, galleries and featured images at them.
// An image that cannot be had keeps its old address and is listed.

// mediaURL finds an image address ending in YYYY/MM/NAME: the part from
// YYYY is submatch 1.
var mediaURL = regexp.MustCompile(`(?i)https?://[^\s"'<>()\[\]]+?/(\d{4}/\d{2}/[^\s"'<>()\[\]/?#]+\.(?:jpe?g|png|gif|webp))`)

// sizedName is WordPress's resized copy: NAME-300x200.jpg.
var sizedName = regexp.MustCompile(`-\d+x\d+(\.[A-Za-z]+)$`)

// MediaSource opens the file an old address names; rel is its
// YYYY/MM/NAME, decoded. A file it does not have is media.ErrNotFound.
type MediaSource func(ctx context.Context, oldURL, rel string) (io.ReadCloser, error)

// UploadsDir is the MediaSource of a copy of wp-content/uploads.
func UploadsDir(dir string) MediaSource {
	st := media.Dir{Root: dir}
	return func(ctx context.Context, _ string, rel string) (io.ReadCloser, error) {
		return st.Open(ctx, rel)
	}
}

// Media is what PlaceMedia brought: the files written, waiting to be
// recorded by the import, and the addresses it could not bring.
type Media struct {
	byRel   map[string]*store.MediaItem // original YYYY/MM/NAME → item
	placed  []*store.MediaItem
	Missing []MissingMedia
}

// MissingMedia is an image that keeps its WordPress address, and why.
type MissingMedia struct {
	URL    string
	Reason string
}

// Placed is how many images PlaceMedia wrote.
func (m *Media) Placed() int {
	if m == nil {
		return 0
	}
	return len(m.placed)
}

// wanted is one image to bring: its original's rel, and the addresses
// that name it (the original's, resized copies').
type wanted struct {
	rel  string
	urls []string
	meta media.Meta
}

// PlaceMedia reads every image doc refers to from src, workers at a time
// (at least 1), and writes it and its variants to lib's storage. Only a
// failure to write is an error; an image src lacks or that is not one is
// listed in Missing.
func PlaceMedia(ctx context.Context, doc *Document, src MediaSource, lib *media.Library, workers int) (*Media, error) {
	list := mediaWanted(doc)
	m := &Media{byRel: map[string]*store.MediaItem{}}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	jobs := make(chan *wanted)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range jobs {
				it, miss, err := placeOne(ctx, w, src, lib)
				mu.Lock()
				switch {
				case err != nil && firstErr == nil:
					firstErr = err
				case miss != "":
					m.Missing = append(m.Missing, MissingMedia{URL: w.urls[0], Reason: miss})
				case it != nil:
					m.byRel[w.rel] = it
					m.placed = append(m.placed, it)
				}
				mu.Unlock()
			}
		}()
	}
	for _, w := range list {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		jobs <- w
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	sort.Slice(m.placed, func(i, j int) bool { return m.placed[i].Path < m.placed[j].Path })
	sort.Slice(m.Missing, func(i, j int) bool { return m.Missing[i].URL < m.Missing[j].URL })
	return m, firstErr
}

// placeOne brings one image: the original, else the resized copy named.
func placeOne(ctx context.Context, w *wanted, src MediaSource, lib *media.Library) (*store.MediaItem, string, error) {
	tries := []string{w.rel}
	for _, u := range w.urls {
		if r := relOf(u); r != w.rel && !contains(tries, r) {
			tries = append(tries, r)
		}
	}
	limit := lib.MaxBytes
	if limit <= 0 {
		limit = media.DefaultMaxBytes
	}
	for _, rel := range tries {
		rc, err := src(ctx, w.urls[0], rel)
		if errors.Is(err, media.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, oneLine(err.Error()), nil
		}
		p, err := media.Process(ctx, rc, limit)
		rc.Close()
		if err != nil {
			return nil, "not an image Warta takes: " + err.Error(), nil
		}
		it, err := lib.PlaceFiles(ctx, "wordpress/"+rel, p, w.meta)
		if err != nil {
			return nil, "", fmt.Errorf("write %s: %w", rel, err)
		}
		return it, "", nil
	}
	return nil, "not found", nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// relOf is an image address's YYYY/MM/NAME, decoded, or "".
func relOf(u string) string {
	m := mediaURL.FindStringSubmatch(u)
	if m == nil || m[0] != u {
		return ""
	}
	rel := m[1]
	if d, err := url.PathUnescape(rel); err == nil {
		rel = d
	}
	if _, err := media.Clean(rel); err != nil {
		return ""
	}
	return rel
}

// originalRel is the rel of the image a resized copy was made from.
func originalRel(rel string) string {
	return sizedName.ReplaceAllString(rel, "$1")
}

// mediaWanted lists the images doc refers to (attachments, and images in
// the bodies of posts and pages), each once by its original, with the
// words its attachment has.
func mediaWanted(doc *Document) []*wanted {
	byRel := map[string]*wanted{}
	var order []string
	add := func(u string) *wanted {
		rel := relOf(u)
		if rel == "" {
			return nil
		}
		orig := originalRel(rel)
		w, ok := byRel[orig]
		if !ok {
			w = &wanted{rel: orig}
			byRel[orig] = w
			order = append(order, orig)
		}
		if !contains(w.urls, u) {
			w.urls = append(w.urls, u)
		}
		return w
	}
	for i := range doc.Items {
		it := &doc.Items[i]
		switch it.Type {
		case "attachment":
			if w := add(strings.TrimSpace(it.URL)); w != nil {
				w.meta = media.Meta{Alt: truncate(oneLine(it.MetaValue("_wp_attachment_image_alt")), 300),
					Caption: truncate(oneLine(it.Excerpt()), 300)}
			}
		case "post", "page":
			for _, u := range mediaURL.FindAllString(it.Content(), -1) {
				add(u)
			}
		}
	}
	out := make([]*wanted, len(order))
	for i, rel := range order {
		out[i] = byRel[rel]
	}
	return out
}

// local is the media library's address for an old image address, or "".
func (m *Media) local(u string) (*store.MediaItem, string) {
	if m == nil {
		return nil, ""
	}
	rel := relOf(u)
	if rel == "" {
		return nil, ""
	}
	it := m.byRel[originalRel(rel)]
	if it == nil {
		return nil, ""
	}
	return it, media.URL(it.Path)
}

// rewrite points every image address in html that PlaceMedia brought at
// its copy in the media library.
func (m *Media) rewrite(html string) string {
	if m == nil || len(m.byRel) == 0 {
		return html
	}
	return mediaURL.ReplaceAllStringFunc(html, func(u string) string {
		if _, to := m.local(u); to != "" {
			return to
		}
		return u
	})
}

// recordMedia keeps the placed images in the media library, in the
// import's transaction, through the library's Record.
func (im *importer) recordMedia(ctx context.Context) error {
	if im.opt.Media == nil {
		return nil
	}
	lib := &media.Library{Store: im.tx, Now: im.tx.Now}
	for i, it := range im.opt.Media.placed {
		got, err := lib.Record(ctx, it)
		if err != nil {
			return fmt.Errorf("media %s: %w", it.Path, err)
		}
		if got != it { // an earlier import recorded it
			im.opt.Media.placed[i] = got
			for rel, x := range im.opt.Media.byRel {
				if x == it {
					im.opt.Media.byRel[rel] = got
				}
			}
		}
	}
	im.res.Media = len(im.opt.Media.placed)
	im.res.MediaMissing = len(im.opt.Media.Missing)
	return nil
}

// Fetch is the MediaSource of the old site itself: each image is
// downloaded from its address (the original's, for a resized copy),
// with up to tries attempts when the site fails or does not answer.
// 404 and 410 are media.ErrNotFound.
func Fetch(client *http.Client, tries int) MediaSource {
	return func(ctx context.Context, oldURL, rel string) (io.ReadCloser, error) {
		u := withRel(oldURL, rel)
		var last error
		for attempt := 0; attempt < max(tries, 1); attempt++ {
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(time.Duration(attempt) * time.Second):
				}
			}
			rc, retry, err := fetchOnce(ctx, client, u)
			if !retry {
				return rc, err
			}
			last = err
		}
		return nil, last
	}
}

// fetchOnce downloads u once, and says whether a failure is worth
// another try.
func fetchOnce(ctx context.Context, client *http.Client, u string) (io.ReadCloser, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, ctx.Err() == nil, err
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		return resp.Body, false, nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		resp.Body.Close()
		return nil, false, media.ErrNotFound
	default:
		resp.Body.Close()
		retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		return nil, retry, fmt.Errorf("%s answered %s", u, resp.Status)
	}
}

// withRel is oldURL with its YYYY/MM/NAME replaced by rel.
func withRel(oldURL, rel string) string {
	m := mediaURL.FindStringSubmatchIndex(oldURL)
	if m == nil {
		return oldURL
	}
	return oldURL[:m[2]] + (&url.URL{Path: rel}).EscapedPath()
}

// StoredFirst makes a resumed download skip what an earlier run stored:
// an image already in media storage is read from there.
func StoredFirst(st media.Storage, src MediaSource) MediaSource {
	return func(ctx context.Context, oldURL, rel string) (io.ReadCloser, error) {
		if obj, err := st.Open(ctx, "wordpress/"+rel); err == nil {
			return obj, nil
		}
		return src(ctx, oldURL, rel)
	}
}
