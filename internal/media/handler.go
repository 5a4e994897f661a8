package media

import (
	"errors"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Handler serves /media/PATH from storage with caching headers.
func Handler(st Storage) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/media/")
		obj, err := st.Open(r.Context(), name)
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		} else if err != nil {
			http.Error(w, http.StatusText(500), 500)
			return
		}
		defer obj.Close()
		ct := mime.TypeByExtension(path.Ext(name))
		switch ct {
		case "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif":
		default:
			// Anything else is offered as a download, never rendered inline.
			ct = "application/octet-stream"
			w.Header().Set("Content-Disposition", "attachment")
		}
		h := w.Header()
		h.Set("Content-Type", ct)
		// A path never names other bytes: uploads take the first free
		// name, and a deleted item's names are retired, never reused
		// (store media_retired). So a copy may be kept for a year.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'")
		http.ServeContent(w, r, "", obj.ModTime(), obj)
	})
}
