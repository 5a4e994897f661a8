package api

import (
	"net/http"

	"warta/internal/model"
)

func (a *API) getSettings(_ http.ResponseWriter, r *http.Request, _ *model.User) (int, any, error) {
	st, err := a.opt.Settings.Get(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}

// patchSettings applies the given fields over the stored settings: the
// stored JSON is decoded first, then the request body on top of it.
func (a *API) patchSettings(_ http.ResponseWriter, r *http.Request, u *model.User) (int, any, error) {
	st, err := a.opt.Settings.Get(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if err := decode(r, &st); err != nil {
		return 0, nil, err
	}
	if st, err = a.opt.Settings.Save(r.Context(), u, st); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, st, nil
}
