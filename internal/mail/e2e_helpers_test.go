package mail_test

import (
	"strconv"
	"testing"

	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// The end-to-end tests of mail run a whole site (newsroom, public pages,
// worker) against a real SMTP server on loopback.

const password = testutil.Password

// newsroom is a started site with one user of each role.
type newsroom struct {
	*testutil.Site
	clock *testutil.Clock
	users map[model.Role]*model.User
}

// start runs Warta on st with the demo content, a settable clock and one
// account per role (testutil.StartStaffed).
func start(t *testing.T, st *sqlstore.Store, opts ...func(*testutil.SiteOptions)) *newsroom {
	t.Helper()
	s := testutil.StartStaffed(t, st, opts...)
	return &newsroom{Site: s.Site, clock: s.Clock, users: s.Users}
}

func (n *newsroom) login(t *testing.T, r model.Role) *testutil.Newsroom {
	t.Helper()
	return n.Login(t, string(r)+"@example.com", password)
}

func noDemo(o *testutil.SiteOptions) { o.Demo = false }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
