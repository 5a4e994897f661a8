package api

import (
	"net/http"

	"warta/internal/correction"
	"warta/internal/model"
)

// correctionIn is the body of POST /api/v1/articles/{id}/corrections.
type correctionIn struct {
	Kind          string `json:"kind"`
	Body          string `json:"body"`
	LinkArticleID *int64 `json:"link_article_id"`
}

func (a *API) createCorrection(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	x, err := a.visible(r, u)
	if err != nil {
		return 0, nil, err
	}
	var body correctionIn
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	c, err := a.opt.Corrections.Add(r.Context(), u, x.ID, correction.Input{Kind: model.CorrectionKind(body.Kind),
		Body: body.Body, LinkArticleID: body.LinkArticleID})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, c, nil
}
