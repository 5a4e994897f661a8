package cache

// Request is what Serve needs to know of a GET or HEAD request. Its strings
// may alias a connection's read buffer: Serve keeps none of them.
type Request struct {
	Host, Path, RawQuery string
	Head                 bool
	// Request header values ("" when absent). A request that repeats one of
	// these fields is not for Serve: it should go through Middleware.
	AcceptEncoding, IfNoneMatch, IfModifiedSince string
	// What the bypass rules read (see Options.Bypass): the Cookie field
	// (repeated ones joined by "; "), whether Authorization and Upgrade
	// fields are present, and whether the path had escapes (URL.RawPath).
	Cookie                              string
	Authorization, Upgrade, EscapedPath bool
	// HTTPS: the reader came over TLS, as Options.HTTPS would say.
	HTTPS bool
}

// Hit is a response ready to write: Head holds the status line and header
// fields (each ending in CRLF, without Date and the blank line), Body what
// follows the blank line (nil for HEAD and 304).
type Hit struct {
	Status int
	Head   []byte
	Body   []byte
}

// Serve answers q from memory when a fresh entry holds it, like Middleware
// would, for a server that writes responses without net/http (see package
// front), under the same bypass rules. A false answer means: send the
// request through Middleware.
func (c *Cache) Serve(q *Request) (Hit, bool) {
	if c.bypassed(q) {
		return Hit{}, false
	}
	query := c.keyQuery(q.Path, q.RawQuery)
	c.mu.RLock()
	e := c.paths[q.Path][variantKey{q.Host, query, q.HTTPS}]
	c.mu.RUnlock()
	if e == nil || e.pass || !c.opt.Now().Before(e.expires) {
		return Hit{}, false
	}
	var ae [1]string
	lines := ae[:0]
	if q.AcceptEncoding != "" {
		ae[0] = q.AcceptEncoding
		lines = ae[:1]
	}
	v := e.pick(lines)
	if v.head == nil {
		return Hit{}, false
	}
	c.hit(e)
	if e.status == 200 && c.notModifiedBy(q.IfNoneMatch, q.IfModifiedSince, e, v) {
		return Hit{Status: 304, Head: v.head304}, true
	}
	h := Hit{Status: e.status, Head: v.head}
	if !q.Head {
		h.Body = v.body
	}
	return h, true
}

// notModifiedBy is notModified on the two field values.
func (c *Cache) notModifiedBy(inm, ims string, e *entry, v *variant) bool {
	if inm != "" {
		var lines [1]string
		lines[0] = inm
		return etagMatches(lines[:], v.etag[0])
	}
	return ims != "" && c.notModifiedSince(ims, e)
}
