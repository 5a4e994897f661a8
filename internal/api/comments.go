package api

import (
	"net/http"
	"strconv"

	"warta/internal/model"
	"warta/internal/store"
)

func (a *API) listComments(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	q := r.URL.Query()
	limit, err := limitOf(r)
	if err != nil {
		return 0, nil, err
	}
	cursor, err := cursorOf(r)
	if err != nil {
		return 0, nil, err
	}
	cq := store.CommentQuery{Status: model.CommentStatus(q.Get("status")), BeforeID: cursor, Limit: limit}
	if cq.Status != "" && !cq.Status.Valid() {
		return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid_status", args: []any{"pending, approved, spam, trash"}, field: "status"}
	}
	if v := q.Get("article_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"article_id"}, field: "article_id"}
		}
		cq.ArticleID = id
	}
	found, err := a.opt.Store.ListComments(r.Context(), cq)
	if err != nil {
		return 0, nil, err
	}
	if found == nil {
		found = []*model.Comment{}
	}
	var last int64
	if len(found) > 0 {
		last = found[len(found)-1].ID
	}
	return http.StatusOK, list{Items: found, Next: nextCursor(len(found), limit, last)}, nil
}

func (a *API) getComment(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	id, err := idOf(r)
	if err != nil {
		return 0, nil, err
	}
	c, err := a.opt.Store.CommentByID(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c, nil
}

var actions = map[string]model.CommentStatus{
	"approve":   model.CommentApproved,
	"spam":      model.CommentSpam,
	"trash":     model.CommentTrash,
	"unapprove": model.CommentPending,
}

func (a *API) moderateComment(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	id, err := idOf(r)
	if err != nil {
		return 0, nil, err
	}
	status, ok := actions[r.PathValue("action")]
	if !ok {
		return 0, nil, errNotFound
	}
	if _, err := a.opt.Comments.Moderate(r.Context(), []int64{id}, status); err != nil {
		return 0, nil, err
	}
	c, err := a.opt.Store.CommentByID(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c, nil
}

// bulkComments applies one action to many comments: {"ids": [..], "action": "approve"}.
func (a *API) bulkComments(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	var body struct {
		IDs    []int64 `json:"ids"`
		Action string  `json:"action"`
	}
	if err := decode(r, &body); err != nil {
		return 0, nil, err
	}
	status, ok := actions[body.Action]
	if !ok {
		return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"action"}, field: "action"}
	}
	if len(body.IDs) == 0 || len(body.IDs) > 500 {
		return 0, nil, &apiError{status: 422, code: "invalid", key: "validation.invalid", args: []any{"ids"}, field: "ids"}
	}
	changed, err := a.opt.Comments.Moderate(r.Context(), body.IDs, status)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"updated": len(changed)}, nil
}
