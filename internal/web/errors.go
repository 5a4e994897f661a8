package web

import (
	"errors"
	"net/http"

	"warta/internal/httpx"
	"warta/internal/store"
)

// httpError is what a handler returns when the reader should see a
// particular status. The cause is logged, never shown.
type httpError struct {
	status int
	cause  error
	// key names the page's words (key+".title", key+".body") when they
	// are not the status's own ("error.404").
	key string
}

func (e *httpError) Error() string {
	if e.cause == nil {
		return http.StatusText(e.status)
	}
	return e.cause.Error()
}

func (e *httpError) Unwrap() error { return e.cause }

func notFound() error { return &httpError{status: http.StatusNotFound} }

// statusOf maps an error to the status the reader gets.
func statusOf(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound
	}
	if httpx.Unavailable(err) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
