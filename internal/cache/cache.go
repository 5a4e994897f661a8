// Package cache keeps rendered pages in memory and answers anonymous GET and
// HEAD requests from there, as net/http middleware.
//
// It knows nothing about what a page shows: the caller says which paths a
// change touches (Invalidate, InvalidatePrefix, Purge) before acknowledging
// the change. A render that was under way when its path was invalidated is
// served to the requests that were waiting for it but never stored, so no
// request that starts after Invalidate returns can see the old content.
//
// Place the middleware inside request-id, logging and security-header
// middleware and outside the router: headers set on the way in by outer
// middleware stay per request, and only what the inner handler sets is
// stored. Nothing outside it should compress.
//
// What a response may be kept is the handler's call: Set-Cookie,
// Cache-Control no-store or private, or a Vary on anything but
// Accept-Encoding keep it out. A request's own Cache-Control is ignored, so
// that a forced reload cannot be used to make the server render.
package cache

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Cache. Zero values take the defaults named below.
type Options struct {
	// MaxBytes bounds the memory held: both variants of every body plus a
	// small estimate for each entry's key and headers. Default 64 MiB.
	MaxBytes int64
	// MaxEntryBytes is the largest body kept; bigger responses stream
	// through. Default MaxBytes/8.
	MaxEntryBytes int64
	// MaxAge is how long a 200 response is served before it is rendered
	// again, bounding the age of anything time-dependent in a page (signed
	// form tokens, "5 minutes ago"). Default 1h.
	MaxAge time.Duration
	// ShortMaxAge is the life of kept 301, 308, 404 and 410 responses: a
	// safety net should a wiring gap miss the change that makes a missing
	// page appear. Default 1 minute, never more than MaxAge.
	ShortMaxAge time.Duration
	// PassFor is how long a URL whose response could not be kept (Set-Cookie,
	// no-store, private, ...) skips request coalescing, so that concurrent
	// requests for it do not queue behind each other. Default 10s; negative
	// disables.
	PassFor time.Duration
	// CacheControl is sent with every response served from the cache unless
	// the handler set its own. Default "public, max-age=0, must-revalidate":
	// browsers and CDNs keep the page but revalidate it (a cheap 304).
	CacheControl string
	// SMaxAge, when positive, adds s-maxage to CacheControl so that a CDN may
	// serve the page that long without asking; OnPurge must then reach it.
	SMaxAge time.Duration
	// Bypass marks requests never served from nor stored in the cache, such
	// as those carrying a session cookie. Requests with an Authorization or
	// Upgrade header or an escaped path are always bypassed. Middleware and
	// Serve both ask it (see bypassed), with what either read of the
	// request; its strings may alias a connection's buffer, so Bypass must
	// not keep them.
	Bypass func(Request) bool
	// Params, when set, names the query parameters the page at a path
	// reads. The others (utm_source, fbclid, random busters) are dropped
	// from the request before the handler sees it and from the cache key,
	// and a parameter given twice keeps its first value, so every spelling
	// of a page shares its one entry and nobody can make the server render
	// by inventing query strings. Nil keeps every parameter.
	Params func(path string) []string
	// HTTPS, when set, reports whether the reader reached the site over
	// TLS (directly or through a trusted proxy): pages for https and http
	// readers are kept apart, since they link and name themselves
	// differently. Serve's callers say it in Request.HTTPS.
	HTTPS func(*http.Request) bool
	// OnPurge is called after each invalidation, outside any lock and on the
	// invalidating goroutine, with exact paths; an entry ending in "*" is a
	// prefix and a lone "*" means everything. A CDN purge should run in its
	// own goroutine.
	OnPurge func(paths []string)
	// ServerHeader lists the fields the server adds to every response
	// outside this cache (security headers). They go into the heads Serve
	// returns, unless the handler set a field of the same name itself.
	ServerHeader [][2]string
	// Now is the program's clock (required).
	Now func() time.Time
}

// Stats is a snapshot of the counters.
type Stats struct {
	Hits      int64 // responses served from memory, including coalesced waiters
	Misses    int64 // cacheable requests that ran the handler
	Stores    int64 // responses stored
	Evictions int64 // entries dropped to stay under MaxBytes
	Entries   int64 // responses held now
	Bytes     int64 // memory accounted now (see Options.MaxBytes)
	Markers   int64 // URLs held as "do not coalesce" (see Options.PassFor)
}

// Cache is an in-memory page cache. Create it with New; it is safe for
// concurrent use.
type Cache struct {
	opt Options

	// Header values shared by every response. Their capacity equals their
	// length, so a later Header().Add copies rather than writes into them.
	cacheControl []string
	vary         []string
	gzipCoding   []string
	brCoding     []string
	xHit         []string
	xMiss        []string
	xBypass      []string

	mu      sync.RWMutex
	paths   map[string]map[variantKey]*entry
	flights map[flightKey]*flight
	ring    entry // sentinel: ring.next is the next eviction candidate
	bytes   int64
	entries int64
	markers int64
	// lastInvalidation guards If-Modified-Since against one-second clock
	// resolution; see entry.imsOK.
	lastInvalidation time.Time

	hits, misses, stores, evictions atomic.Int64

	brJobs    []*entry // guarded by mu: entries waiting for Brotli
	brRunning bool     // guarded by mu: brotliWorker is at work

	gzipWriters sync.Pool // *gzip.Writer, which is costly to set up
	brWriters   sync.Pool // *brotli.Writer, likewise
}

// variantKey tells apart the responses held for one path. A struct rather
// than a joined string so that the hit path can look it up without building
// a string.
type variantKey struct {
	host  string // verbatim: a page reached by two names renders two canonical URLs
	query string // canonical, see canonicalQuery
	https bool   // likewise: its links and canonical URL say https (see Options.HTTPS)
}

type flightKey struct {
	path string
	variantKey
}

// flight is one render in progress; requests for the same key wait on it.
type flight struct {
	done    chan struct{}
	e       *entry // set before done closes; nil when the result is not shareable
	doomed  bool   // guarded by Cache.mu: invalidated while rendering
	waiters int    // guarded by Cache.mu
}

const imsGuard = 2 * time.Second

// New returns a Cache with o's defaults filled in.
func New(o Options) *Cache {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 64 << 20
	}
	if o.MaxEntryBytes <= 0 || o.MaxEntryBytes > o.MaxBytes {
		o.MaxEntryBytes = o.MaxBytes / 8
	}
	if o.MaxAge <= 0 {
		o.MaxAge = time.Hour
	}
	if o.ShortMaxAge <= 0 {
		o.ShortMaxAge = time.Minute
	}
	o.ShortMaxAge = min(o.ShortMaxAge, o.MaxAge)
	if o.PassFor == 0 {
		o.PassFor = 10 * time.Second
	}
	if o.CacheControl == "" {
		o.CacheControl = "public, max-age=0, must-revalidate"
	}
	if o.SMaxAge > 0 {
		o.CacheControl += ", s-maxage=" + strconv.FormatInt(int64(o.SMaxAge/time.Second), 10)
	}
	if o.Now == nil {
		panic("cache: no clock")
	}
	c := &Cache{
		opt:          o,
		cacheControl: []string{o.CacheControl},
		vary:         []string{"Accept-Encoding"},
		gzipCoding:   []string{"gzip"},
		brCoding:     []string{"br"},
		xHit:         []string{"HIT"},
		xMiss:        []string{"MISS"},
		xBypass:      []string{"BYPASS"},
		paths:        make(map[string]map[variantKey]*entry),
		flights:      make(map[flightKey]*flight),
	}
	c.ring.next, c.ring.prev = &c.ring, &c.ring
	return c
}

// Middleware serves cacheable requests from memory and stores what next
// renders for them.
func (c *Cache) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		if q := view(r); c.bypassed(&q) {
			w.Header()["X-Cache"] = c.xBypass
			next.ServeHTTP(w, r)
			return
		}
		query := c.keyQuery(r.URL.Path, r.URL.RawQuery)
		if c.opt.Params != nil && query != r.URL.RawQuery {
			r = withQuery(r, query)
		}
		k := flightKey{r.URL.Path, variantKey{r.Host, query, c.opt.HTTPS != nil && c.opt.HTTPS(r)}}
		c.mu.RLock()
		e := c.paths[k.path][k.variantKey]
		c.mu.RUnlock()
		if e != nil && c.opt.Now().Before(e.expires) {
			c.serveEntry(w, r, next, e)
			return
		}
		c.miss(w, r, next, k)
	})
}

// bypassed is the one bypass rule, for Middleware and Serve alike.
func (c *Cache) bypassed(q *Request) bool {
	// A path with escapes that decode differently ("/a%2Fb") may route
	// differently from its decoded twin; such URLs are too rare to key on.
	if q.Authorization || q.Upgrade || q.EscapedPath {
		return true
	}
	return c.opt.Bypass != nil && c.opt.Bypass(*q)
}

// view is what the bypass rule reads of a net/http request.
func view(r *http.Request) Request {
	q := Request{Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Head: r.Method == http.MethodHead,
		EscapedPath: r.URL.RawPath != ""}
	_, q.Authorization = r.Header["Authorization"]
	_, q.Upgrade = r.Header["Upgrade"]
	switch cookies := r.Header["Cookie"]; len(cookies) {
	case 0:
	case 1:
		q.Cookie = cookies[0]
	default:
		q.Cookie = strings.Join(cookies, "; ")
	}
	return q
}

// serveEntry answers from a fresh entry, which may be a pass marker.
func (c *Cache) serveEntry(w http.ResponseWriter, r *http.Request, next http.Handler, e *entry) {
	if e.pass {
		c.misses.Add(1)
		w.Header()["X-Cache"] = c.xMiss
		next.ServeHTTP(w, r)
		return
	}
	c.hit(e)
	c.write(w, r, e, c.xHit)
}

func (c *Cache) miss(w http.ResponseWriter, r *http.Request, next http.Handler, k flightKey) {
	c.mu.Lock()
	// Another request may have stored or started this key since the lookup.
	if e := c.paths[k.path][k.variantKey]; e != nil && c.opt.Now().Before(e.expires) {
		c.mu.Unlock()
		c.serveEntry(w, r, next, e)
		return
	}
	if f := c.flights[k]; f != nil {
		f.waiters++
		c.mu.Unlock()
		c.wait(w, r, next, f)
		return
	}
	f := &flight{done: make(chan struct{})}
	c.flights[k] = f
	c.mu.Unlock()
	c.misses.Add(1)
	c.lead(w, r, next, k, f)
}

// wait serves the result of another request's render.
func (c *Cache) wait(w http.ResponseWriter, r *http.Request, next http.Handler, f *flight) {
	select {
	case <-f.done:
	case <-r.Context().Done():
		return
	}
	if f.e != nil {
		c.hits.Add(1)
		c.write(w, r, f.e, c.xHit)
		return
	}
	// The leader's response was personal or failed: it is not ours to share.
	c.misses.Add(1)
	w.Header()["X-Cache"] = c.xMiss
	next.ServeHTTP(w, r)
}

// lead renders for key k, stores the result unless the key was invalidated
// meanwhile, and hands it to the waiters.
func (c *Cache) lead(w http.ResponseWriter, r *http.Request, next http.Handler, k flightKey, f *flight) {
	settled := false
	defer func() {
		if !settled {
			// The handler panicked: let the waiters render for themselves.
			c.mu.Lock()
			if c.flights[k] == f {
				delete(c.flights, k)
			}
			c.mu.Unlock()
			close(f.done)
		}
	}()

	render := r
	if r.Method == http.MethodHead {
		// Render the full GET: a handler may skip the body for HEAD, and the
		// entry must serve later GETs.
		get := *r
		get.Method = http.MethodGet
		render = &get
	}
	rec := newRecorder(w, int(c.opt.MaxEntryBytes), c.xMiss)
	next.ServeHTTP(rec, render)
	result := rec.finish()

	now := c.opt.Now()
	var e *entry
	switch {
	case result == keep:
		e = c.newEntry(k, rec.status, rec.h, rec.body, now)
	case result == passShape && c.opt.PassFor > 0:
		e = c.newMarker(k, now)
	}

	c.mu.Lock()
	settled = true
	if c.flights[k] == f {
		delete(c.flights, k)
	}
	if e != nil {
		if f.doomed {
			// Whatever this render read may predate the change: serve it to
			// the requests that were concurrent with the change, store nothing,
			// and send no Last-Modified a later version could collide with.
			e.lastModified = nil
		} else {
			e.imsOK = now.Sub(c.lastInvalidation) >= imsGuard
			c.insert(k, e)
		}
	}
	c.mu.Unlock()

	if e != nil && !e.pass {
		f.e = e
	}
	// Release the waiters before writing: the leader's client may be slow.
	close(f.done)
	if f.e != nil {
		c.write(w, r, f.e, c.xMiss)
	}
}

// write sends e as the answer to r, honouring Accept-Encoding, conditional
// headers and HEAD. It allocates nothing of its own: every header value was
// prepared when the entry was stored.
func (c *Cache) write(w http.ResponseWriter, r *http.Request, e *entry, xCache []string) {
	h := w.Header()
	v := e.pick(r.Header["Accept-Encoding"])
	if e.status == http.StatusOK && c.notModified(r, e, v) {
		h["Etag"] = v.etag
		if e.lastModified != nil {
			h["Last-Modified"] = e.lastModified
		}
		h["Cache-Control"] = e.cacheControl
		h["Vary"] = c.vary
		h["X-Cache"] = xCache
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for _, f := range e.header {
		h[f.name] = f.values
	}
	h["Cache-Control"] = e.cacheControl
	h["Vary"] = c.vary
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = v.length
	if e.status == http.StatusOK {
		h["Etag"] = v.etag
		if e.lastModified != nil {
			h["Last-Modified"] = e.lastModified
		}
	}
	h["X-Cache"] = xCache
	w.WriteHeader(e.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}

// notModified evaluates If-None-Match, or failing that If-Modified-Since,
// against the variant about to be sent (RFC 9110 §13.2.2).
func (c *Cache) notModified(r *http.Request, e *entry, v *variant) bool {
	if inm, ok := r.Header["If-None-Match"]; ok {
		return etagMatches(inm, v.etag[0])
	}
	ims := r.Header["If-Modified-Since"]
	return len(ims) > 0 && c.notModifiedSince(ims[0], e)
}

// notModifiedSince evaluates an If-Modified-Since value against e.
func (c *Cache) notModifiedSince(ims string, e *entry) bool {
	if !e.imsOK || e.lastModified == nil {
		return false
	}
	if ims == e.lastModified[0] {
		return true
	}
	t, err := http.ParseTime(ims)
	return err == nil && !e.stored.Truncate(time.Second).After(t)
}

// Invalidate drops every entry of these exact paths, whatever their host or
// query, and keeps renders of them already under way from being stored.
func (c *Cache) Invalidate(paths ...string) {
	if len(paths) == 0 {
		return
	}
	c.mu.Lock()
	for _, p := range paths {
		for _, e := range c.paths[p] {
			c.remove(e)
		}
	}
	c.overtakeRenders(func(p string) bool { return slices.Contains(paths, p) })
	c.mu.Unlock()
	if c.opt.OnPurge != nil {
		c.opt.OnPurge(slices.Clone(paths))
	}
}

// InvalidatePrefix drops every entry whose path starts with prefix.
func (c *Cache) InvalidatePrefix(prefix string) {
	match := func(p string) bool { return strings.HasPrefix(p, prefix) }
	c.mu.Lock()
	for p, variants := range c.paths {
		if match(p) {
			for _, e := range variants {
				c.remove(e)
			}
		}
	}
	c.overtakeRenders(match)
	c.mu.Unlock()
	if c.opt.OnPurge != nil {
		c.opt.OnPurge([]string{prefix + "*"})
	}
}

// Purge drops everything.
func (c *Cache) Purge() {
	c.mu.Lock()
	clear(c.paths)
	c.ring.next, c.ring.prev = &c.ring, &c.ring
	c.bytes, c.entries, c.markers = 0, 0, 0
	c.overtakeRenders(func(string) bool { return true })
	c.mu.Unlock()
	if c.opt.OnPurge != nil {
		c.opt.OnPurge([]string{"*"})
	}
}

// overtakeRenders marks renders of matching paths as not to be stored and
// notes the time of the invalidation. Called with c.mu held.
func (c *Cache) overtakeRenders(match func(path string) bool) {
	for k, f := range c.flights {
		if match(k.path) {
			f.doomed = true
			// Requests arriving from now on must not join a render that may
			// have read the old data.
			delete(c.flights, k)
		}
	}
	c.lastInvalidation = c.opt.Now()
}

// Stats returns a snapshot of the counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	entries, bytes, markers := c.entries, c.bytes, c.markers
	c.mu.RUnlock()
	return Stats{
		Hits:      c.hits.Load(),
		Misses:    c.misses.Load(),
		Stores:    c.stores.Load(),
		Evictions: c.evictions.Load(),
		Entries:   entries,
		Bytes:     bytes,
		Markers:   markers,
	}
}
