package web

import "net/http"

// feedRoutes registers the feeds, sitemaps and robots.txt.
func (s *Site) feedRoutes(h func(pattern string, fn func(http.ResponseWriter, *http.Request) error)) {
}
