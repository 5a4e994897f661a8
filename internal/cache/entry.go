package cache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
)

// entry is one stored response, immutable once inserted apart from ref and
// the ring links (which only the eviction sweep touches, under Cache.mu).
type entry struct {
	key    flightKey
	status int
	header []field // the handler's headers worth replaying
	plain  variant
	gz     variant // body nil when gzip would not pay
	// br is the Brotli variant, compressed in the background after the
	// entry is stored (Brotli costs several times gzip's fastest level, and
	// the request that rendered the page should not wait for it); nil until
	// then, and when it would not pay.
	br      atomic.Pointer[variant]
	brAsked atomic.Bool // its Brotli variant was queued (see hit)
	stored  time.Time
	expires time.Time
	size    int64
	// pass marks a URL remembered as uncacheable (see Options.PassFor);
	// such an entry has no body and is never served.
	pass bool

	cacheControl []string
	lastModified []string // nil for a render overtaken by an invalidation
	// imsOK is false when an invalidation happened shortly before the entry
	// was stored: an older version may then carry the same one-second
	// Last-Modified, and If-Modified-Since could not tell them apart. ETags,
	// being hashes of the body, never have that problem.
	imsOK bool

	ref        atomic.Bool // hit since the sweep last passed: spare it once
	prev, next *entry
}

type variant struct {
	body     []byte
	etag     []string
	length   []string
	encoding []string // Content-Encoding; nil for identity
	// head and head304 are the response heads the fast path sends (see
	// Cache.Serve): status line and header fields, each ending in CRLF,
	// without Date and the per-request fields. nil when a header value could
	// not be written verbatim; such entries are served by Middleware only.
	head, head304 []byte
}

type field struct {
	name   string
	values []string
}

// minGzip is the body size below which gzip saves too little to be worth a
// second copy and a header.
const minGzip = 256

// entryOverhead approximates the memory of an entry beyond its bodies and
// strings, so that a flood of tiny entries is bounded too.
const entryOverhead = 256

// ownHeader reports the headers the cache sets itself or must never replay.
func ownHeader(name string) bool {
	switch name {
	case "Cache-Control", "Content-Encoding", "Content-Length", "Date", "Etag",
		"Last-Modified", "Vary", "Set-Cookie", "Transfer-Encoding", "Connection",
		"Keep-Alive", "Trailer", "X-Cache":
		return true
	}
	return false
}

// gzipLevel: see the comparison in BenchmarkCompress. Pages are compressed
// once per render and sent many times, and the default level costs a
// fraction of the render.
const gzipLevel = gzip.BestSpeed

func (c *Cache) newEntry(k flightKey, status int, h http.Header, body []byte, now time.Time) *entry {
	if cap(body)-len(body) > len(body)/8 {
		body = bytes.Clone(body) // the recording buffer grew by doubling
	}
	if body == nil {
		body = []byte{}
	}
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:16])
	e := &entry{
		key:    k,
		status: status,
		stored: now,
		plain: variant{
			body:   body,
			etag:   []string{`"` + tag + `"`},
			length: []string{strconv.Itoa(len(body))},
		},
		lastModified: []string{now.UTC().Format(http.TimeFormat)},
		cacheControl: c.cacheControl,
	}
	if status == http.StatusOK {
		e.expires = now.Add(c.opt.MaxAge)
	} else {
		e.expires = now.Add(c.opt.ShortMaxAge)
	}
	if cc := h["Cache-Control"]; len(cc) > 0 {
		e.cacheControl = slicesClip(cc)
	}
	size := int64(entryOverhead + len(k.path) + len(k.host) + len(k.query))
	for name, values := range h {
		if ownHeader(name) {
			continue
		}
		e.header = append(e.header, field{name, slicesClip(values)})
		size += int64(len(name))
		for _, v := range values {
			size += int64(len(v))
		}
	}
	if len(body) >= minGzip {
		if z := c.compress(body); len(z) < len(body) {
			e.gz = variant{
				body:     z,
				etag:     []string{`"` + tag + `-gz"`},
				length:   []string{strconv.Itoa(len(z))},
				encoding: c.gzipCoding,
			}
		}
	}
	for _, v := range []*variant{&e.plain, &e.gz} {
		if v.body != nil {
			c.prepareHeads(e, v)
			size += heldBytes(v.head) + heldBytes(v.head304)
		}
	}
	e.size = size + heldBytes(body) + heldBytes(e.gz.body)
	return e
}

// prepareHeads writes v's response heads once, so that the fast path only
// copies bytes. A value with a line break (which net/http would have
// rewritten) leaves them nil.
func (c *Cache) prepareHeads(e *entry, v *variant) {
	var b []byte
	put := func(name string, values []string) bool {
		for _, val := range values {
			if strings.ContainsAny(val, "\r\n") {
				return false
			}
			b = append(b, name...)
			b = append(b, ": "...)
			b = append(b, val...)
			b = append(b, "\r\n"...)
		}
		return true
	}
	validators := func() {
		put("Etag", v.etag)
		if e.lastModified != nil {
			put("Last-Modified", e.lastModified)
		}
		put("Cache-Control", e.cacheControl)
		put("Vary", c.vary)
		put("X-Cache", c.xHit)
	}
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(e.status)...)
	b = append(b, "\r\n"...)
	for _, f := range e.header {
		if !put(f.name, f.values) {
			return
		}
	}
	server := func(own []field) {
		for _, f := range c.opt.ServerHeader {
			if !slices.ContainsFunc(own, func(o field) bool { return o.name == f[0] }) {
				put(f[0], []string{f[1]})
			}
		}
	}
	server(e.header)
	if !put("Cache-Control", e.cacheControl) {
		return
	}
	put("Vary", c.vary)
	if v.encoding != nil {
		put("Content-Encoding", v.encoding)
	}
	put("Content-Length", v.length)
	if e.status == http.StatusOK {
		put("Etag", v.etag)
		if e.lastModified != nil {
			put("Last-Modified", e.lastModified)
		}
	}
	put("X-Cache", c.xHit)
	full := b
	if e.status == http.StatusOK {
		b = append([]byte(nil), "HTTP/1.1 304 Not Modified\r\n"...)
		validators()
		server(nil)
		v.head304 = slices.Clip(b)
	}
	v.head = slices.Clip(full)
}

func (c *Cache) newMarker(k flightKey, now time.Time) *entry {
	return &entry{
		key:     k,
		pass:    true,
		stored:  now,
		expires: now.Add(c.opt.PassFor),
		size:    int64(entryOverhead + len(k.path) + len(k.host) + len(k.query)),
	}
}

// slicesClip copies header values so that later edits of the handler's map
// cannot reach the entry, with capacity equal to length so that appends by
// whoever serves it copy too.
func slicesClip(v []string) []string {
	out := make([]string, len(v))
	copy(out, v)
	return out
}

// brotliLevel: quality 5 makes an article page about 10% smaller than
// gzip's fastest level, at about six times its cost (BenchmarkCompress*):
// worth it for a page sent thousands of times, and paid in the background.
const brotliLevel = 5

// maxBrotliQueue bounds the entries waiting for their Brotli variant; past
// it, new entries are served gzip only until they are rendered again.
const maxBrotliQueue = 256

// hit notes that e was served from memory. The first hit asks for its
// Brotli variant: a page read once (a crawler's walk through the archive,
// a story nobody shares) is not worth six times gzip's work, and paying it
// for every render halved the rate of pages rendered and stored.
func (c *Cache) hit(e *entry) {
	// Second chance: only the first hit since the last eviction sweep
	// writes, so hot entries are not a cache line every core keeps
	// stealing.
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	if !e.brAsked.Load() && e.brAsked.CompareAndSwap(false, true) {
		c.mu.Lock()
		if c.paths[e.key.path][e.key.variantKey] == e {
			c.queueBrotli(e)
		}
		c.mu.Unlock()
	}
	c.hits.Add(1)
}

// queueBrotli schedules e's Brotli variant. Called with c.mu held.
func (c *Cache) queueBrotli(e *entry) {
	if e.pass || len(e.plain.body) < minGzip || e.plain.head == nil || len(c.brJobs) >= maxBrotliQueue {
		return
	}
	c.brJobs = append(c.brJobs, e)
	if !c.brRunning {
		c.brRunning = true
		go c.brotliWorker()
	}
}

// brotliWorker compresses queued entries one at a time, so Brotli never
// takes more than one core, and attaches each variant if its entry is
// still stored.
func (c *Cache) brotliWorker() {
	for {
		c.mu.Lock()
		if len(c.brJobs) == 0 {
			c.brRunning = false
			c.brJobs = nil
			c.mu.Unlock()
			return
		}
		e := c.brJobs[0]
		c.brJobs = c.brJobs[1:]
		stored := c.paths[e.key.path][e.key.variantKey] == e
		c.mu.Unlock()
		if !stored {
			continue
		}
		z := c.compressBrotli(e.plain.body)
		if len(z) >= len(e.plain.body) || e.gz.body != nil && len(z) >= len(e.gz.body) {
			continue
		}
		v := &variant{
			body:     z,
			etag:     []string{strings.TrimSuffix(e.plain.etag[0], `"`) + `-br"`},
			length:   []string{strconv.Itoa(len(z))},
			encoding: c.brCoding,
		}
		c.prepareHeads(e, v)
		grow := heldBytes(z) + heldBytes(v.head) + heldBytes(v.head304)
		c.mu.Lock()
		if c.paths[e.key.path][e.key.variantKey] == e && e.size+grow <= c.opt.MaxBytes {
			e.br.Store(v)
			e.size += grow
			c.bytes += grow
			c.evict(e)
		}
		c.mu.Unlock()
	}
}

// Settle waits until every stored entry that is due a Brotli variant has
// it (or was dropped). For tests and benchmarks.
func (c *Cache) Settle() {
	for {
		c.mu.RLock()
		busy := c.brRunning
		c.mu.RUnlock()
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func (c *Cache) compressBrotli(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/4 + 64)
	bw, _ := c.brWriters.Get().(*brotli.Writer)
	if bw == nil {
		bw = brotli.NewWriterLevel(&buf, brotliLevel)
	} else {
		bw.Reset(&buf)
	}
	_, _ = bw.Write(body)
	_ = bw.Close()
	c.brWriters.Put(bw)
	return bytes.Clone(buf.Bytes())
}

func (c *Cache) compress(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	zw, _ := c.gzipWriters.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&buf, gzipLevel)
	} else {
		zw.Reset(&buf)
	}
	_, _ = zw.Write(body)
	_ = zw.Close()
	c.gzipWriters.Put(zw)
	return bytes.Clone(buf.Bytes())
}

// insert stores e, replacing any entry of the same key, then evicts until
// the cache fits in MaxBytes. Called with c.mu held.
func (c *Cache) insert(k flightKey, e *entry) {
	if e.size > c.opt.MaxBytes {
		return
	}
	if old := c.paths[k.path][k.variantKey]; old != nil {
		c.remove(old)
	}
	variants := c.paths[k.path]
	if variants == nil {
		variants = make(map[variantKey]*entry)
		c.paths[k.path] = variants
	}
	variants[k.variantKey] = e
	c.pushBack(e)
	c.bytes += e.size
	if e.pass {
		c.markers++
	} else {
		c.entries++
		c.stores.Add(1)
	}
	c.evict(e)
}

// evict runs the second-chance (CLOCK) sweep: the oldest entry goes unless
// it was hit since the sweep last passed it, in which case it moves to the
// young end. That approximates least-recently-used without a write lock on
// every hit, and a flood of one-off URLs cannot push out pages in demand.
// The entry just stored is spared: it has had no chance to be hit yet.
// Called with c.mu held.
func (c *Cache) evict(spare *entry) {
	for c.bytes > c.opt.MaxBytes {
		e := c.ring.next
		if e == &c.ring {
			return
		}
		if e == spare || e.ref.Load() {
			e.ref.Store(false)
			c.unlink(e)
			c.pushBack(e)
			continue
		}
		c.remove(e)
		c.evictions.Add(1)
	}
}

// remove drops e from the map and the ring. Called with c.mu held.
func (c *Cache) remove(e *entry) {
	if variants := c.paths[e.key.path]; variants[e.key.variantKey] == e {
		delete(variants, e.key.variantKey)
		if len(variants) == 0 {
			delete(c.paths, e.key.path)
		}
	}
	c.unlink(e)
	c.bytes -= e.size
	if e.pass {
		c.markers--
	} else {
		c.entries--
	}
}

func (c *Cache) pushBack(e *entry) {
	e.prev, e.next = c.ring.prev, &c.ring
	c.ring.prev.next = e
	c.ring.prev = e
}

func (c *Cache) unlink(e *entry) {
	e.prev.next = e.next
	e.next.prev = e.prev
	e.prev, e.next = nil, nil
}

// pick returns the variant to send for these Accept-Encoding lines.
func (e *entry) pick(acceptEncoding []string) *variant {
	br := e.br.Load()
	switch pickCoding(acceptEncoding, e.gz.body != nil, br != nil) {
	case gzipCoding:
		return &e.gz
	case brCoding:
		return br
	}
	return &e.plain
}

// heldBytes is what b costs in memory, near enough: its capacity, plus an
// eighth for the allocator's rounding (a 21.5 KB page takes a 24 KB
// block). MaxBytes bounds what the cache really holds, not its payload.
func heldBytes(b []byte) int64 {
	return int64(cap(b) + cap(b)/8)
}
