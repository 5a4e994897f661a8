package comment

import (
	"context"

	"warta/internal/model"
)

// Judge is the status, spam score and reasons a new comment would get
// under the site's settings now, without storing it.
func (s *Service) Judge(ctx context.Context, in Input) (model.CommentStatus, float64, string, error) {
	settings, err := s.st.Settings(ctx)
	if err != nil {
		return "", 0, "", err
	}
	return s.judge(ctx, settings, in)
}
