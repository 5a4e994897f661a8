package mail_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"warta/internal/auth"
	"warta/internal/model"
	"warta/internal/store/sqlstore"
	"warta/internal/testutil"
)

// The end-to-end tests of mail run a whole site (newsroom, public pages,
// worker) against a real SMTP server on loopback.

const password = "rahasia-sekali"

var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(password)
	if err != nil {
		panic(err)
	}
	return h
})

// newsroom is a started site with one account per role.
type newsroom struct {
	*testutil.Site
	clock *testutil.Clock
	users map[model.Role]*model.User
}

func start(t *testing.T, st *sqlstore.Store, opts ...func(*testutil.SiteOptions)) *newsroom {
	t.Helper()
	clock := testutil.NewClock(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	o := testutil.SiteOptions{Demo: true, Now: clock.Now}
	for _, f := range opts {
		f(&o)
	}
	site := testutil.StartSite(t, st, o)
	n := &newsroom{Site: site, clock: clock, users: map[model.Role]*model.User{}}
	for _, r := range model.Roles {
		u := &model.User{Email: string(r) + "@example.com", Name: string(r), Slug: string(r), Role: r, Active: true, PasswordHash: testHash()}
		if err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		n.users[r] = u
	}
	return n
}

func (n *newsroom) login(t *testing.T, r model.Role) *testutil.Newsroom {
	t.Helper()
	return n.Login(t, string(r)+"@example.com", password)
}

func noDemo(o *testutil.SiteOptions) { o.Demo = false }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
