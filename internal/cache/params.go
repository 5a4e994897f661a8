package cache

import (
	"net/http"
	"net/url"
)

// keyQuery is the query a request for path is cached under: canonical
// (see canonicalQuery), and with Options.Params only the parameters the
// page reads, each with its first value.
func (c *Cache) keyQuery(path, raw string) string {
	if raw == "" {
		return ""
	}
	if c.opt.Params == nil {
		if isCanonicalQuery(raw) {
			return raw
		}
		return canonicalQuery(raw)
	}
	keep := c.opt.Params(path)
	if len(keep) == 0 {
		return ""
	}
	// Pairs that do not parse are left out, like the parameters no page
	// reads: the handler gets the query this returns.
	v, _ := url.ParseQuery(raw)
	out := make(url.Values, len(keep))
	for _, k := range keep {
		if vs := v[k]; len(vs) > 0 {
			out[k] = vs[:1]
		}
	}
	return out.Encode()
}

// withQuery returns r asking for query instead of its own.
func withQuery(r *http.Request, query string) *http.Request {
	r2 := r.WithContext(r.Context()) // a shallow copy
	u := *r.URL
	u.RawQuery, u.ForceQuery = query, false
	r2.URL = &u
	r2.RequestURI = u.RequestURI()
	return r2
}
