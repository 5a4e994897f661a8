package admin

import (
	"context"
	"strings"

	"warta/internal/article"
)

// Moved answers the public site's "not found" with the current path of an
// article that used to live at path (its slug or month changed), or "".
// The old paths are written by a database trigger in the transaction that
// moved the article, so every surface that edits articles keeps them.
func (a *Admin) Moved(ctx context.Context, path string) string {
	if strings.Count(path, "/") != 3 || len(path) > 300 {
		return "" // only /YYYY/MM/slug can be an article's path
	}
	id, err := a.st.RedirectFor(ctx, path)
	if err != nil {
		return ""
	}
	art, err := a.st.ArticleByID(ctx, id)
	if err != nil {
		return ""
	}
	to := article.PublicPath(art, a.now())
	if to == path {
		return ""
	}
	return to
}
